package io.carebus.x12.schema;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.yaml.snakeyaml.Yaml;

/**
 * All implementation-guide schemas, read once at start-up from the classpath (mappings/x12/index.yaml lists them),
 * and looked up by transaction set (ST01) and implementation reference (ST03, else GS08).
 */
public final class SchemaRegistry {

    public static final String BASE = "mappings/x12/";

    private final List<TransactionSchema> schemas;

    public SchemaRegistry(List<TransactionSchema> schemas) {
        this.schemas = List.copyOf(schemas);
    }

    private static volatile SchemaRegistry standard;

    /** The schemas shipped under mappings/x12, read once per JVM. */
    public static SchemaRegistry standard() {
        SchemaRegistry registry = standard;
        if (registry == null) {
            synchronized (SchemaRegistry.class) {
                if (standard == null) {
                    standard = fromClasspath(SchemaRegistry.class.getClassLoader());
                }
                registry = standard;
            }
        }
        return registry;
    }

    @SuppressWarnings("unchecked")
    public static SchemaRegistry fromClasspath(ClassLoader loader) {
        try (InputStream elements = open(loader, "elements.yaml"); InputStream index = open(loader, "index.yaml")) {
            SchemaLoader schemaLoader = new SchemaLoader(ElementDictionary.read(elements));
            Map<String, Object> listing = new Yaml().load(index);
            List<TransactionSchema> schemas = new ArrayList<>();
            for (Object file : (List<Object>) listing.get("schemas")) {
                String name = String.valueOf(file);
                try (InputStream in = open(loader, name)) {
                    schemas.add(schemaLoader.read(name.replace(".yaml", ""), in));
                }
            }
            return new SchemaRegistry(schemas);
        } catch (IOException e) {
            throw new X12SchemaException("Reading the X12 schemas failed", e);
        }
    }

    private static InputStream open(ClassLoader loader, String name) {
        InputStream in = loader.getResourceAsStream(BASE + name);
        if (in == null) {
            throw new X12SchemaException("Missing X12 schema resource " + BASE + name);
        }
        return in;
    }

    /** The schema for a transaction set id and implementation reference (ST03 or GS08), if Carebus has one. */
    public Optional<TransactionSchema> find(String transactionSet, String implementationReference) {
        for (TransactionSchema schema : schemas) {
            if (schema.transactionSet().equals(transactionSet)
                    && schema.versions().contains(implementationReference)) {
                return Optional.of(schema);
            }
        }
        return Optional.empty();
    }

    public Optional<TransactionSchema> byName(String name) {
        return schemas.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public List<TransactionSchema> all() {
        return schemas;
    }
}
