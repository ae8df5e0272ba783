package sip.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/**
 * The hosts file is parsed once into a table and looked at again only every
 * {@link LocalNames#RECHECK_MILLIS} on the locator's clock: a change is seen after that, not
 * before; a file of any size is answered from the table.
 */
class HostsFileRecheckTest {
    private final AtomicLong millis = new AtomicLong(1_000_000);
    private final InstantSource clock = () -> Instant.ofEpochMilli(millis.get());

    @TempDir
    Path dir;

    private static Question a(String name) {
        return new Question(Name.fromConstantString(name), Type.A);
    }

    private static List<InetAddress> addresses(Answer answer) {
        return answer instanceof Answer.Records r ? r.addresses() : List.of();
    }

    @Test
    void aChangedFileIsReadAgainOnceTheRecheckTimeHasPassed() throws IOException {
        Path file = dir.resolve("hosts");
        Files.writeString(file, "192.0.2.1 one.test\n");
        LocalNames names = new LocalNames(file, clock);
        assertEquals(List.of(InetAddress.ofLiteral("192.0.2.1")), addresses(names.answer(a("one.test."))));
        assertNull(names.answer(a("two.test.")));

        Files.writeString(file, "192.0.2.2 one.test\n192.0.2.3 two.test\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 10_000));
        millis.addAndGet(LocalNames.RECHECK_MILLIS - 1);
        assertEquals(List.of(InetAddress.ofLiteral("192.0.2.1")), addresses(names.answer(a("one.test."))),
                "before the re-check time the parsed table is used");
        millis.addAndGet(1);
        assertEquals(List.of(InetAddress.ofLiteral("192.0.2.2")), addresses(names.answer(a("one.test."))));
        assertEquals(List.of(InetAddress.ofLiteral("192.0.2.3")), addresses(names.answer(a("two.test."))));

        Files.delete(file);
        millis.addAndGet(LocalNames.RECHECK_MILLIS);
        assertNull(names.answer(a("one.test.")), "a deleted file has no names");
    }

    @Test
    void aLargeFileFirstAddressPerFamilyAndBadLines() throws IOException {
        StringBuilder content = new StringBuilder("not-an-address name.test\n192.0.2.9\n");
        for (int i = 0; i < 2000; i++) {   // ≈ 50 KB, past dnsjava's 16 KiB whole-file limit
            content.append("10.0.").append(i / 250).append('.').append(i % 250).append(" host").append(i)
                    .append(".test alias").append(i).append("   # comment\n");
        }
        content.append("192.0.2.10 Host7.TEST\n2001:db8::7 host7.test\n");
        Path file = Files.writeString(dir.resolve("hosts"), content);
        LocalNames names = new LocalNames(file, clock);
        assertEquals(List.of(InetAddress.ofLiteral("10.0.0.7")), addresses(names.answer(a("host7.test."))),
                "the first address of a family wins; names compare case-insensitively");
        assertEquals(List.of(InetAddress.ofLiteral("2001:db8::7")),
                addresses(names.answer(new Question(Name.fromConstantString("HOST7.test."), Type.AAAA))));
        assertEquals(List.of(InetAddress.ofLiteral("10.0.7.249")), addresses(names.answer(a("alias1999."))));
        assertInstanceOf(Answer.Negative.class,
                names.answer(new Question(Name.fromConstantString("host8.test."), Type.AAAA)),
                "a family the file lacks for a name it has: no records");
        assertNull(names.answer(a("name.test.")));
        assertNull(names.answer(new Question(Name.fromConstantString("host7.test."), Type.SRV)));
    }
}
