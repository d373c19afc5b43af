package io.carebus.x12.intake;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What was already received (tables x12_interchange and x12_file): an interchange is known by its sender (ISA05,
 * ISA06) and ISA13, a file by the SHA-256 of its bytes. Each is recorded once; the second time is a duplicate.
 */
public class ReceivedInterchanges {

    private final JdbcTemplate jdbc;

    public ReceivedInterchanges(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the interchange; false when this sender already sent this ISA13. */
    public boolean firstInterchange(String senderQualifier, String senderId, String controlNumber) {
        return jdbc.update("""
                INSERT INTO x12_interchange (sender_qualifier, sender_id, control_number) VALUES (?, ?, ?)
                ON CONFLICT DO NOTHING""", senderQualifier, senderId, controlNumber) == 1;
    }

    public void linkJournal(String senderQualifier, String senderId, String controlNumber, long journalId) {
        jdbc.update("UPDATE x12_interchange SET journal_id = ? WHERE sender_qualifier = ? AND sender_id = ? "
                + "AND control_number = ?", journalId, senderQualifier, senderId, controlNumber);
    }

    /** Records the file; false when a file with the same bytes was taken before. */
    public boolean firstFile(String checksum, String partner, String fileName) {
        return jdbc.update("""
                INSERT INTO x12_file (checksum, partner, file_name) VALUES (?, ?, ?)
                ON CONFLICT DO NOTHING""", checksum, partner, fileName) == 1;
    }
}
