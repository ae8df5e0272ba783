package sip.script.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression of a review finding — the control socket was bound at a predictable path in the
 * shared temp directory and its permissions set only after bind, so another local user could
 * squat the path or connect in the window. It lives in a per-user 0700 directory now, and a
 * directory owned by someone else is refused by the server and the client. (In this package:
 * {@code ControlSocket} is package-private.)
 */
class ControlSocketDirectoryTest {

    @TempDir
    Path tmp;

    @Test
    void theDirectoryIsCreatedOwnerOnlyAndTheSocketBoundInside() throws Exception {
        Path dir = tmp.resolve("parley-me");
        Path socket = dir.resolve("parley-0123456789abcdef.sock");
        Optional<ControlSocket> opened = ControlSocket.open(socket, line -> "echo " + line);
        try (ControlSocket control = opened.orElseThrow()) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals(Optional.of("echo reload"), ControlSocket.request(control.path(), ControlSocket.RELOAD));
        }
        assertFalse(Files.exists(socket));
    }

    @Test
    void anOwnDirectoryOpenToOthersIsClosedDown() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertTrue(ControlSocket.secureDirectory(dir, false));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }

    @Test
    void aLinkOrAFileIsRefusedAndAMissingDirectoryIsNoServer() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("elsewhere"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), target);
        IOException e = assertThrows(IOException.class, () -> ControlSocket.secureDirectory(link, true));
        assertTrue(e.getMessage().endsWith("is not a directory"), e.getMessage());
        assertThrows(IOException.class, () -> ControlSocket.open(link.resolve("x.sock"), line -> line));
        assertEquals(Optional.empty(), ControlSocket.request(tmp.resolve("missing").resolve("x.sock"), ControlSocket.RELOAD));
        assertFalse(Files.exists(tmp.resolve("missing")), "the client creates nothing");
    }

    @Test
    void aDirectoryOfAnotherUserIsRefused() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("squatted"));
        UserPrincipal nobody;
        try {
            nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(dir, nobody);
        } catch (IOException | UnsupportedOperationException e) {
            Assumptions.abort("cannot give a directory to another user here (not root): " + e);
            return;
        }
        Path socket = dir.resolve("parley-0123456789abcdef.sock");
        IOException server = assertThrows(IOException.class, () -> ControlSocket.open(socket, line -> line));
        assertTrue(server.getMessage().contains("belongs to nobody"), server.getMessage());
        IOException client = assertThrows(IOException.class, () -> ControlSocket.request(socket, ControlSocket.RELOAD));
        assertTrue(client.getMessage().contains("refusing it"), client.getMessage());
        assertFalse(Files.exists(socket));
    }

    @Test
    void theDefaultDirectoryIsPerUser() {
        Path dir = ControlSocket.directory();
        String name = dir.getFileName().toString();
        assertTrue(name.equals("parley") || name.equals("parley-" + System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_")),
                dir.toString());
        assertEquals(dir, ControlSocket.pathFor(tmp.resolve("a.js")).getParent());
    }
}
