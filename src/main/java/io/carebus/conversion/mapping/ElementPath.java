package io.carebus.conversion.mapping;

import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Element;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Property;

/**
 * A target element, dot-separated from a resource or datatype: {@code name}, {@code period.start},
 * {@code valueQuantity}, {@code extension[http://example.org/x].valueString}. Checked against the FHIR R4
 * model when the mapping is compiled; at conversion the intermediate elements are found or created.
 */
public final class ElementPath {

    /** @param childName the name addChild takes (a choice by its typed name: valueQuantity) */
    private record Step(String name, int hash, String extensionUrl, String childName) {
        Step(String name, int hash, String extensionUrl) {
            this(name, hash, extensionUrl, name);
        }
    }

    private final String text;
    private final Step[] parents;
    private final Step leaf;
    private final String leafType;
    private final boolean leafRepeats;

    private ElementPath(String text, Step[] parents, Step leaf, String leafType, boolean leafRepeats) {
        this.text = text;
        this.parents = parents;
        this.leaf = leaf;
        this.leafType = leafType;
        this.leafRepeats = leafRepeats;
    }

    /** Compiles a path against a template instance of the type it starts from (checked, never written to). */
    public static ElementPath compile(String text, Base template) {
        List<Step> steps = new ArrayList<>();
        for (String part : splitPath(text)) {
            int bracket = part.indexOf('[');
            if (part.startsWith("extension[") && part.endsWith("]")) {
                steps.add(new Step("extension", "extension".hashCode(), part.substring(bracket + 1, part.length() - 1)));
            } else {
                steps.add(new Step(part, part.hashCode(), null));
            }
        }
        Base current = template;
        for (int i = 0; i < steps.size() - 1; i++) {
            current = descend(current, steps.get(i), text);
        }
        Step last = steps.get(steps.size() - 1);
        String type;
        boolean repeats;
        if (last.extensionUrl != null) {
            type = "Extension";
            repeats = false;
        } else {
            Property p;
            try {
                p = current.getNamedProperty(last.hash, last.name, true);
            } catch (RuntimeException e) {
                p = null;
            }
            if (p == null) {
                throw new MappingException("Unknown element '" + last.name + "' in '" + text + "' (on "
                        + current.fhirType() + ")");
            }
            type = typeOf(p, last.name);
            repeats = p.getMaxCardinality() > 1;
            if (!p.getName().equals(last.name)) {
                // a choice (deceased[x]) is set under its base name's hash
                last = new Step(p.getName(), p.getName().replace("[x]", "").hashCode(), null, last.name);
            }
        }
        return new ElementPath(text, steps.subList(0, steps.size() - 1).toArray(new Step[0]), last, type, repeats);
    }

    private static List<String> splitPath(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == '.' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static String typeOf(Property p, String requestedName) {
        String code = p.getTypeCode();
        int paren = code.indexOf('(');
        if (paren > 0) {
            code = code.substring(0, paren);
        }
        if (code.contains("|") || code.equals("*")) {
            // a choice named with its type: valueQuantity → Quantity
            String base = p.getName().replace("[x]", "");
            if (requestedName.length() > base.length() && requestedName.startsWith(base)) {
                String t = requestedName.substring(base.length());
                return Character.isUpperCase(t.charAt(0)) && isPrimitiveName(t) ? decapitalize(t) : t;
            }
            throw new MappingException("Choice element '" + p.getName() + "' needs a type (e.g. valueString)");
        }
        return code.trim();
    }

    private static boolean isPrimitiveName(String t) {
        return switch (t) {
            case "String", "Boolean", "Integer", "Decimal", "DateTime", "Date", "Time", "Instant", "Uri", "Url",
                    "Canonical", "Code", "Id", "Oid", "Uuid", "Markdown", "Base64Binary", "PositiveInt",
                    "UnsignedInt" -> true;
            default -> false;
        };
    }

    private static String decapitalize(String t) {
        return Character.toLowerCase(t.charAt(0)) + t.substring(1);
    }

    private static Base descend(Base current, Step step, String text) {
        if (step.extensionUrl != null) {
            return new Extension(step.extensionUrl);
        }
        try {
            return current.addChild(step.name);
        } catch (RuntimeException e) {
            throw new MappingException("Unknown element '" + step.name + "' in '" + text + "' (on "
                    + current.fhirType() + ")", e);
        }
    }

    /** The FHIR type of the target element ("HumanName", "dateTime", "code", "Reference", "BackboneElement"…). */
    public String leafType() {
        return leafType;
    }

    public boolean leafRepeats() {
        return leafRepeats;
    }

    public boolean isExtensionLeaf() {
        return leaf.extensionUrl != null;
    }

    /** The element that holds the leaf, created on the way when missing. */
    public Base parent(Base root) {
        Base current = root;
        for (Step step : parents) {
            current = getOrCreate(current, step);
        }
        return current;
    }

    private static Base getOrCreate(Base current, Step step) {
        if (step.extensionUrl != null) {
            return extension(current, step.extensionUrl);
        }
        Base[] existing = current.getProperty(step.hash, step.name, false);
        if (existing != null && existing.length > 0 && existing[0] != null) {
            return existing[0];
        }
        return current.addChild(step.name);
    }

    private static Extension extension(Base current, String url) {
        if (current instanceof DomainResource r) {
            Extension e = r.getExtensionByUrl(url);
            return e != null ? e : r.addExtension().setUrl(url);
        }
        if (current instanceof Element el) {
            Extension e = el.getExtensionByUrl(url);
            return e != null ? e : el.addExtension().setUrl(url);
        }
        throw new IllegalStateException("No extensions on " + current.fhirType());
    }

    /** True when a single-valued leaf already holds something: the first value wins. */
    public boolean isTaken(Base parent) {
        return isTaken(parent, false);
    }

    /** @param fallback the rule only fills an element that holds nothing yet, even a repeating one */
    public boolean isTaken(Base parent, boolean fallback) {
        if (leafRepeats && !fallback) {
            return false;
        }
        if (leaf.extensionUrl != null) {
            return false;
        }
        Base[] existing = parent.getProperty(leaf.hash, leaf.name, false);
        return existing != null && existing.length > 0 && existing[0] != null && !existing[0].isEmpty();
    }

    /** Sets (or adds, for a repeating element) a value. */
    public void set(Base parent, Base value) {
        if (leaf.extensionUrl != null) {
            if (value instanceof Extension ext) {
                ext.setUrl(leaf.extensionUrl);
                addExtension(parent, ext);
            } else {
                throw new IllegalStateException("Extension target needs an Extension");
            }
            return;
        }
        parent.setProperty(leaf.hash, leaf.name, value);
    }

    private static void addExtension(Base parent, Extension ext) {
        if (parent instanceof DomainResource r) {
            r.addExtension(ext);
        } else if (parent instanceof Element el) {
            el.addExtension(ext);
        }
    }

    /** A new, empty composite element added at the leaf, for nested rules to fill. */
    public Base addNew(Base parent) {
        if (leaf.extensionUrl != null) {
            Extension ext = new Extension(leaf.extensionUrl);
            addExtension(parent, ext);
            return ext;
        }
        return parent.addChild(leaf.childName);
    }

    public void remove(Base parent, Base value) {
        try {
            parent.removeChild(leaf.name, value);
        } catch (RuntimeException e) {
            // elements that cannot be removed stay empty; empty elements are not serialised
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
