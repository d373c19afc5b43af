package io.carebus.hl7v2;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.carebus.hl7v2.Hl7RejectException.ErrorLocation;

/**
 * Reads the MSH segment and PID-3 from the raw bytes of an ER7 message, and decodes the bytes in the
 * charset MSH-18 declares. This runs on the acknowledgement path for every message, so it reads only the
 * few fields the intake needs instead of parsing the whole message; the transform stage parses fully.
 */
public class Hl7HeaderReader {

    private final Charset defaultCharset;
    private final Charset fallbackCharset;

    public Hl7HeaderReader(Charset defaultCharset, Charset fallbackCharset) {
        this.defaultCharset = defaultCharset;
        this.fallbackCharset = fallbackCharset;
    }

    /** The decoded text and its header. */
    public record Decoded(Hl7MessageHeader header, String text) {
    }

    public Decoded read(byte[] raw) {
        int start = skipLeadingWhitespace(raw);
        if (raw.length - start < 8 || raw[start] != 'M' || raw[start + 1] != 'S' || raw[start + 2] != 'H') {
            throw new Hl7RejectException("The message does not start with an MSH segment",
                    ErrorLocation.of("MSH", 0), Hl7RejectException.SEGMENT_SEQUENCE_ERROR, true);
        }
        // MSH-1, MSH-2 and MSH-18 are read before decoding: the segment up to MSH-18 is ASCII in every charset
        // HL7 allows over MLLP except UTF-16/32, which carry no MSH in ASCII and are refused below.
        String mshAscii = new String(raw, start, segmentEnd(raw, start) - start, StandardCharsets.ISO_8859_1);
        char fieldSep = fieldSeparator(mshAscii);
        String[] msh = split(mshAscii, fieldSep);
        checkEncodingCharacters(field(msh, 2), fieldSep);
        String msh18 = firstRepetition(field(msh, 18), msh);
        Charset declared = msh18.isEmpty() ? defaultCharset : Hl7Charsets.forMsh18(msh18).orElse(null);
        if (declared == null) {
            throw refusedCharset("MSH-18 names a character set that is unknown or that Carebus cannot answer in",
                    raw, start, fieldSep);
        }
        if (Hl7Charsets.isUtf16Or32(declared)) {
            // HL7 table 0357 has no code for a table 0211 value a receiver does not take (200-203 name only the
            // message type, event, processing id and version): 103 "Table value not found", the answer to a coded
            // value outside the receiver's table, which for MSH-18 over MLLP excludes UTF-16/32.
            throw refusedCharset("MSH-18 names UTF-16 or UTF-32, which MLLP does not carry", raw, start, fieldSep);
        }
        String text = decode(raw, start, declared);
        Charset used = declared;
        if (text == null) {
            // The sender declared one charset and sent another (often windows-1252 as "UTF-8").
            text = decode(raw, start, fallbackCharset);
            used = fallbackCharset;
            if (text == null) {
                text = new String(raw, start, raw.length - start, fallbackCharset);
            }
        }
        return new Decoded(header(text, fieldSep, used), text);
    }

    /** MSH-1, the character after "MSH": a delimiter, not a letter, digit, space or control character. */
    private static char fieldSeparator(String mshAscii) {
        char fieldSep = mshAscii.length() > 3 ? mshAscii.charAt(3) : '\r';
        if (fieldSep <= ' ' || Character.isLetterOrDigit(fieldSep)) {
            throw new Hl7RejectException("MSH-1 does not hold a field separator",
                    ErrorLocation.of("MSH", 1), Hl7RejectException.DATA_TYPE_ERROR, true);
        }
        return fieldSep;
    }

    /** MSH-2: at least the component and repetition separators, none of them the field separator. */
    private static void checkEncodingCharacters(String encoding, char fieldSep) {
        if (encoding.length() < 2 || encoding.indexOf(fieldSep) >= 0) {
            throw new Hl7RejectException("MSH-2 does not hold the encoding characters",
                    ErrorLocation.of("MSH", 2), Hl7RejectException.DATA_TYPE_ERROR, true);
        }
    }

    /**
     * MSH-18 refused: the MSH segment is ASCII, so the header read as ISO-8859-1 still names the message for the AR
     * (MSA-2 = MSH-10, HL7 v2.5 §2.15.8.2; MSH-3..6 swapped) and for its journal row.
     */
    private Hl7RejectException refusedCharset(String reason, byte[] raw, int start, char fieldSep) {
        String text = new String(raw, start, raw.length - start, StandardCharsets.ISO_8859_1);
        return new Hl7RejectException(reason, ErrorLocation.of("MSH", 18), Hl7RejectException.TABLE_VALUE_NOT_FOUND,
                true, header(text, fieldSep, StandardCharsets.ISO_8859_1));
    }

    private Hl7MessageHeader header(String text, char fieldSep, Charset charset) {
        int mshEnd = segmentEnd(text, 0);
        String[] msh = split(text.substring(0, mshEnd), fieldSep);
        String encoding = field(msh, 2);                          // MSH-2, checked by read
        char componentSep = encoding.charAt(0);
        char subcomponentSep = encoding.length() > 3 ? encoding.charAt(3) : '&';
        String messageType = field(msh, 9);
        String controlId = field(msh, 10);

        String patientId = "";
        String patientAuthority = "";
        boolean hasPid = false;
        int pos = mshEnd;
        while (pos < text.length()) {
            int segStart = skipSegmentSeparators(text, pos);
            if (segStart >= text.length()) {
                break;
            }
            int segEnd = segmentEnd(text, segStart);
            if (segEnd - segStart > 3 && text.startsWith("PID", segStart) && text.charAt(segStart + 3) == fieldSep) {
                hasPid = true;
                String[] pid = split(text.substring(segStart, segEnd), fieldSep);
                String pid3 = firstRepetition(field(pid, 3), encoding);
                String[] cx = split(pid3, componentSep);
                patientId = cx[0];
                patientAuthority = cx.length > 3 ? split(cx[3], subcomponentSep)[0] : "";
                break;
            }
            pos = segEnd;
        }
        return new Hl7MessageHeader(fieldSep, encoding,
                hd(field(msh, 3), componentSep), hd(field(msh, 4), componentSep),
                hd(field(msh, 5), componentSep), hd(field(msh, 6), componentSep),
                component(messageType, componentSep, 0), component(messageType, componentSep, 1),
                controlId, component(field(msh, 11), componentSep, 0), component(field(msh, 12), componentSep, 0),
                field(msh, 15), field(msh, 16), charset, patientId, patientAuthority, hasPid);
    }

    /** MSH-n: MSH-1 is the field separator itself, so MSH-n sits at split index n-1. */
    private static String field(String[] msh, int n) {
        int index = msh[0].equals("MSH") ? n - 1 : n;
        return index < msh.length ? msh[index] : "";
    }

    private static String firstRepetition(String value, String[] msh) {
        String encoding = msh.length > 1 ? msh[1] : "";
        return firstRepetition(value, encoding);
    }

    private static String firstRepetition(String value, String encoding) {
        if (encoding.length() < 2) {
            return value;
        }
        int rep = value.indexOf(encoding.charAt(1));
        return rep < 0 ? value : value.substring(0, rep);
    }

    /**
     * MSH-3 to MSH-6 are HD, namespace id^universal id^universal id type (HL7 v2.5 §2.A.33): the whole field is
     * kept, since senders identified by an OID alone differ only after the first component. Trailing empty
     * components are dropped, so LAB and LAB^^ are the same.
     */
    private static String hd(String value, char componentSep) {
        return Hl7MessageHeader.withoutTrailingEmpty(value, componentSep);
    }

    private static String component(String value, char sep, int index) {
        String[] parts = split(value, sep);
        return index < parts.length ? parts[index] : "";
    }

    static String[] split(String s, char sep) {
        int count = 1;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == sep) {
                count++;
            }
        }
        String[] out = new String[count];
        int from = 0;
        int k = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == sep) {
                out[k++] = s.substring(from, i);
                from = i + 1;
            }
        }
        out[k] = s.substring(from);
        return out;
    }

    private static String decode(byte[] raw, int start, Charset charset) {
        try {
            CharBuffer chars = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw, start, raw.length - start));
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static int skipLeadingWhitespace(byte[] raw) {
        int i = 0;
        while (i < raw.length && (raw[i] == '\r' || raw[i] == '\n' || raw[i] == ' ' || raw[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int segmentEnd(byte[] raw, int from) {
        for (int i = from; i < raw.length; i++) {
            if (raw[i] == '\r' || raw[i] == '\n') {
                return i;
            }
        }
        return raw.length;
    }

    private static int segmentEnd(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                return i;
            }
        }
        return text.length();
    }

    private static int skipSegmentSeparators(String text, int from) {
        int i = from;
        while (i < text.length() && (text.charAt(i) == '\r' || text.charAt(i) == '\n')) {
            i++;
        }
        return i;
    }
}
