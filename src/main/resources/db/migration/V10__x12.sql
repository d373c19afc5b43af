-- X12 control numbers: the last ISA13 / GS06 / ST02 used per trading partner, incremented atomically so every
-- number is unique and survives restarts (wraps to 1 after 999999999, the ISA13 maximum).
CREATE TABLE x12_control_number (
    partner        text        NOT NULL,
    kind           text        NOT NULL,             -- interchange (ISA13), group (GS06), transaction (ST02)
    last_value     bigint      NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partner, kind)
);

-- Inbound interchanges already received: the same sender (ISA05 + ISA06) and ISA13 is a duplicate.
CREATE TABLE x12_interchange (
    sender_qualifier text        NOT NULL,
    sender_id        text        NOT NULL,
    control_number   text        NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    journal_id       bigint,
    PRIMARY KEY (sender_qualifier, sender_id, control_number)
);

-- Files taken from the SFTP drop box, by SHA-256 of their bytes: a file is processed once.
CREATE TABLE x12_file (
    checksum       text        NOT NULL PRIMARY KEY,
    partner        text        NOT NULL,
    file_name      text        NOT NULL,
    received_at    timestamptz NOT NULL DEFAULT now()
);

-- Transaction sets Carebus sent, until the partner's TA1 / 999 says accepted or rejected (and why).
CREATE TABLE x12_outbound (
    partner             text        NOT NULL,
    interchange_control text        NOT NULL,             -- ISA13
    group_control       text        NOT NULL,             -- GS06
    transaction_control text        NOT NULL,             -- ST02
    transaction_set     text        NOT NULL,             -- ST01
    reference           text,                             -- claim id / trace number it carries
    status              text        NOT NULL,             -- sent, accepted, rejected
    reason              text,                             -- TA1 note code or the 999 IK3/IK4/IK5 findings
    sent_at             timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (partner, group_control, transaction_control)
);
CREATE INDEX x12_outbound_interchange_idx ON x12_outbound (partner, interchange_control);
