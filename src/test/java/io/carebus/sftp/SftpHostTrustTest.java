package io.carebus.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;

import io.carebus.config.SftpClientSecurity;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** The start-up checks of an SFTP server Carebus connects to: a host key to check, or a refused start. */
@ExtendWith(OutputCaptureExtension.class)
class SftpHostTrustTest {

    @TempDir
    Path dir;

    private SftpHostTrust trust() {
        return new SftpHostTrust(dir.resolve("known-hosts"));
    }

    private static String hostKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        return PublicKeyEntry.toString(pair.getPublic());
    }

    @Test
    void aPartnerHostWithoutAHostKeyRefusesTheStart() {
        assertThatThrownBy(() -> trust().configured("partner-payer", "partner payer's SFTP host",
                "carebus.x12.partners.payer.sftp.outbound", "sftp.payer.example", 22, new SftpClientSecurity()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("partner payer's SFTP host (sftp.payer.example:22) has no host key")
                .hasMessageContaining("carebus.x12.partners.payer.sftp.outbound.host-keys")
                .hasMessageContaining("carebus.x12.partners.payer.sftp.outbound.known-hosts-file")
                .hasMessageContaining("ssh-keyscan -p 22 sftp.payer.example");
    }

    @Test
    void hostKeysBecomeAKnownHostsFileCheckedStrictly() throws Exception {
        SftpClientSecurity settings = new SftpClientSecurity();
        String key = hostKey();
        // as ssh-keyscan prints it: the host name first, which is not needed
        settings.setHostKeys(List.of(key, "sftp.payer.example " + key + " payer host"));
        SftpClientOptions options = trust().configured("partner-payer", "partner payer's SFTP host",
                "carebus.x12.partners.payer.sftp.outbound", "sftp.payer.example", 2022, settings);
        assertThat(options.strictHostKeyChecking()).isEqualTo("yes");
        assertThat(Files.readAllLines(Path.of(options.knownHostsFile())))
                .containsExactly("[sftp.payer.example]:2022 " + key, "[sftp.payer.example]:2022 " + key);
        assertThat(options.privateKeyFile()).isEmpty();
    }

    @Test
    void aKnownHostsFileIsUsedAsItIs() throws Exception {
        Path file = Files.writeString(dir.resolve("known_hosts"), "sftp.payer.example " + hostKey() + "\n");
        SftpClientSecurity settings = new SftpClientSecurity();
        settings.setKnownHostsFile(file.toString());
        SftpClientOptions options = trust().configured("drop-box", "the SFTP drop box", "carebus.sftp",
                "sftp.payer.example", 22, settings);
        assertThat(options.knownHostsFile()).isEqualTo(file.toAbsolutePath().toString());
        assertThat(options.strictHostKeyChecking()).isEqualTo("yes");
    }

    @Test
    void unreadableSettingsRefuseTheStart() {
        SftpClientSecurity badKey = new SftpClientSecurity();
        badKey.setHostKeys(List.of("not a key"));
        assertThatThrownBy(() -> trust().configured("drop-box", "the SFTP drop box", "carebus.sftp", "box", 22,
                badKey)).hasMessageContaining("carebus.sftp.host-keys[0] is not an OpenSSH public key");
        SftpClientSecurity missingFile = new SftpClientSecurity();
        missingFile.setKnownHostsFile(dir.resolve("nowhere").toString());
        assertThatThrownBy(() -> trust().configured("drop-box", "the SFTP drop box", "carebus.sftp", "box", 22,
                missingFile)).hasMessageContaining("known_hosts file").hasMessageContaining("cannot be read");
        SftpClientSecurity missingKey = new SftpClientSecurity();
        missingKey.setStrictHostKeyChecking(false);
        missingKey.setPrivateKeyFile(dir.resolve("id_ed25519").toString());
        assertThatThrownBy(() -> trust().configured("drop-box", "the SFTP drop box", "carebus.sftp", "box", 22,
                missingKey)).hasMessageContaining("private key file").hasMessageContaining("private-key-file");
    }

    @Test
    void switchingTheCheckOffIsAllowedButWarnedAbout(CapturedOutput output) throws Exception {
        Path key = Files.writeString(dir.resolve("id_ecdsa"), "-----BEGIN OPENSSH PRIVATE KEY-----\n");
        SftpClientSecurity settings = new SftpClientSecurity();
        settings.setStrictHostKeyChecking(false);
        settings.setPrivateKeyFile(key.toString());
        settings.setPrivateKeyPassphrase("secret");
        SftpClientOptions options = trust().configured("partner-test", "partner test's SFTP host",
                "carebus.x12.partners.test.sftp.outbound", "localhost", 2022, settings);
        assertThat(options).isEqualTo(new SftpClientOptions("no", "", key.toAbsolutePath().toString(), "secret"));
        assertThat(output.getOut()).contains("WARN").contains("partner test's SFTP host (localhost:2022) does not "
                + "check the server's host key (carebus.x12.partners.test.sftp.outbound.strict-host-key-checking=false)");
        assertThat(output.getOut()).doesNotContain("secret");
    }
}
