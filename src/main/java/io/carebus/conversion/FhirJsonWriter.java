package io.carebus.conversion;

import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

/**
 * FHIR R4 JSON (http://hl7.org/fhir/R4/json.html) written in one pass over the R4 model's own child lists,
 * into a StringBuilder. HAPI's JsonParser needs 100–200 µs for a 5 KB bundle, more than the whole conversion
 * budget; this writer gives the same JSON (checked in the tests by parsing it back with HAPI) in a fraction of
 * that. Used for bundles Carebus makes; anything else goes through HAPI.
 */
public final class FhirJsonWriter {

    private FhirJsonWriter() {
    }

    public static String write(Resource resource) {
        StringBuilder out = new StringBuilder(4096);
        resource(resource, out);
        return out.toString();
    }

    private static void resource(Resource resource, StringBuilder out) {
        out.append("{\"resourceType\":\"").append(resource.fhirType()).append('"');
        children(resource, out, true);
        out.append('}');
    }

    /** An element's children in definition order, learnt once per class from a blank instance. */
    private record Child(String name, int hash, boolean many) {
    }

    private static final ClassValue<Child[]> CHILDREN = new ClassValue<>() {
        @Override
        protected Child[] computeValue(Class<?> type) {
            Base blank;
            try {
                blank = (Base) type.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("Cannot list the children of " + type, e);
            }
            List<Property> properties = blank.children();
            Child[] children = new Child[properties.size()];
            for (int i = 0; i < children.length; i++) {
                Property p = properties.get(i);
                children[i] = new Child(p.getName(), p.getName().replace("[x]", "").hashCode(), p.getMaxCardinality() > 1);
            }
            return children;
        }
    };

    /** The children of an element, each preceded by a comma when {@code comma}; returns whether any was written. */
    private static boolean children(Base element, StringBuilder out, boolean comma) {
        boolean written = comma;
        for (Child c : CHILDREN.get(element.getClass())) {
            Base[] found = element.getProperty(c.hash(), c.name(), false);
            if (found == null || found.length == 0) {
                continue;
            }
            String name = c.name();
            if (c.many()) {
                written = array(name, java.util.Arrays.asList(found), out, written);
            } else {
                Base v = found[0];
                if (v == null || v.isEmpty()) {
                    continue;
                }
                if (name.endsWith("[x]")) {
                    name = name.substring(0, name.length() - 3) + capitalize(v.fhirType());
                }
                written = single(name, v, out, written);
            }
        }
        return written;
    }

    private static boolean single(String name, Base v, StringBuilder out, boolean comma) {
        if (v instanceof PrimitiveType<?> p) {
            boolean hasValue = p.hasValue();
            if (hasValue) {
                comma(out, comma);
                out.append('"').append(name).append("\":");
                primitive(p, out);
                comma = true;
            }
            if (hasPrimitiveExtras(p)) {
                comma(out, comma);
                out.append("\"_").append(name).append("\":");
                primitiveExtras(p, out);
                comma = true;
            }
            return comma;
        }
        comma(out, comma);
        out.append('"').append(name).append("\":");
        value(v, out);
        return true;
    }

    private static boolean array(String name, List<Base> values, StringBuilder out, boolean comma) {
        boolean any = false;
        boolean primitives = false;
        boolean extras = false;
        for (Base v : values) {
            if (v != null && !v.isEmpty()) {
                any = true;
                if (v instanceof PrimitiveType<?> p) {
                    primitives = true;
                    extras |= hasPrimitiveExtras(p);
                }
            }
        }
        if (!any) {
            return comma;
        }
        comma(out, comma);
        out.append('"').append(name).append("\":[");
        boolean first = true;
        for (Base v : values) {
            if (v == null || v.isEmpty()) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            if (v instanceof PrimitiveType<?> p) {
                if (p.hasValue()) {
                    primitive(p, out);
                } else {
                    out.append("null");
                }
            } else {
                value(v, out);
            }
        }
        out.append(']');
        if (primitives && extras) {
            out.append(",\"_").append(name).append("\":[");
            first = true;
            for (Base v : values) {
                if (v == null || v.isEmpty()) {
                    continue;
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                if (v instanceof PrimitiveType<?> p && hasPrimitiveExtras(p)) {
                    primitiveExtras(p, out);
                } else {
                    out.append("null");
                }
            }
            out.append(']');
        }
        return true;
    }

    private static void value(Base v, StringBuilder out) {
        if (v instanceof Resource r) {
            resource(r, out);
        } else if (v instanceof Narrative n) {
            out.append("{\"status\":");
            string(n.getStatus() == null ? "generated" : n.getStatus().toCode(), out);
            if (n.hasDiv()) {
                out.append(",\"div\":");
                string(n.getDivAsString(), out);
            }
            out.append('}');
        } else {
            out.append('{');
            children(v, out, false);
            out.append('}');
        }
    }

    private static boolean hasPrimitiveExtras(PrimitiveType<?> p) {
        return p.hasExtension() || p.hasId();
    }

    private static void primitiveExtras(PrimitiveType<?> p, StringBuilder out) {
        out.append('{');
        boolean comma = false;
        if (p.hasId()) {
            out.append("\"id\":");
            string(p.getId(), out);
            comma = true;
        }
        if (p.hasExtension()) {
            array("extension", new ArrayList<>(((Element) p).getExtension()), out, comma);
        }
        out.append('}');
    }

    private static void primitive(PrimitiveType<?> p, StringBuilder out) {
        String text = p.asStringValue();
        if (p instanceof BooleanType || p instanceof IntegerType || p instanceof DecimalType) {
            out.append(text);
        } else {
            string(text, out);
        }
    }

    private static void comma(StringBuilder out, boolean comma) {
        if (comma) {
            out.append(',');
        }
    }

    private static String capitalize(String type) {
        return Character.toUpperCase(type.charAt(0)) + type.substring(1);
    }

    /** A JSON string (RFC 8259 section 7). */
    static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
