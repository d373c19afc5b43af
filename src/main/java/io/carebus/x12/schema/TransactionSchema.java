package io.carebus.x12.schema;

import java.util.List;

/**
 * One implementation guide: the transaction set id (ST01), the implementation references it answers to (GS08 /
 * ST03) and the body between ST and SE as a loop whose id is the schema name.
 */
public record TransactionSchema(String name, String transactionSet, List<String> versions, LoopDef body) {
}
