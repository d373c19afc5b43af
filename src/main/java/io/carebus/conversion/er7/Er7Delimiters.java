package io.carebus.conversion.er7;

/**
 * The separators a message declares in MSH-1 (field) and MSH-2 (component, repetition, escape, subcomponent,
 * and from v2.7 the truncation character).
 */
public record Er7Delimiters(char field, char component, char repetition, char escape, char subcomponent) {

    public static final Er7Delimiters STANDARD = new Er7Delimiters('|', '^', '~', '\\', '&');

    /** MSH-2 as sent; some senders double the escape character ("^~\\&"), which is read as the standard set. */
    static Er7Delimiters of(char field, String encodingCharacters) {
        String enc = encodingCharacters;
        if (enc.length() >= 5 && enc.charAt(2) == enc.charAt(3)) {
            enc = enc.substring(0, 3) + enc.substring(4);
        }
        char component = enc.length() > 0 ? enc.charAt(0) : '^';
        char repetition = enc.length() > 1 ? enc.charAt(1) : '~';
        char escape = enc.length() > 2 ? enc.charAt(2) : '\\';
        char subcomponent = enc.length() > 3 ? enc.charAt(3) : '&';
        return new Er7Delimiters(field, component, repetition, escape, subcomponent);
    }

    /** The separator that splits a value found at the given depth (1 field, 2 repetition, 3 component). */
    public char separatorBelow(int depth) {
        return switch (depth) {
            case 0 -> field;
            case 1 -> repetition;
            case 2 -> component;
            case 3 -> subcomponent;
            default -> '\0';
        };
    }

    /** MSH-2 as this message would write it. */
    public String encodingCharacters() {
        return new String(new char[] {component, repetition, escape, subcomponent});
    }
}
