package sip.script.internal.runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The only files a script can reach: regular files inside its own directory (subdirectories
 * included), read-only — what {@code import './lib.js'} needs and nothing more — seen through
 * its version's {@link ModuleSnapshot}, so every context of a version reads the same bytes. A
 * path outside (after resolving {@code ..} and symbolic links) is reported as not existing, so an
 * {@code import '../secret.js'} fails like a missing module and reveals nothing. One view per
 * context; the snapshot is shared by the version's contexts.
 */
final class ConfinedFileSystem implements FileSystem {

    private final FileSystem disk = FileSystem.newReadOnlyFileSystem(FileSystem.newDefaultFileSystem());
    private final ModuleSnapshot files;

    ConfinedFileSystem(ModuleSnapshot files) {
        this.files = files;
        disk.setCurrentWorkingDirectory(files.root());
    }

    @Override
    public Path parsePath(URI uri) {
        return disk.parsePath(uri);
    }

    @Override
    public Path parsePath(String path) {
        return disk.parsePath(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
            throw new SecurityException("scripts cannot write or execute files");
        }
        Path real = confined(path);
        if (!files.holds(real)) {
            disk.checkAccess(real, modes, linkOptions);
        }
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw new SecurityException("scripts cannot create directories");
    }

    @Override
    public void delete(Path path) {
        throw new SecurityException("scripts cannot delete files");
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        for (OpenOption o : options) {
            if (o != StandardOpenOption.READ) {
                throw new SecurityException("scripts can only read files");
            }
        }
        return new KeptBytes(files.read(confined(path)));
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) {
        throw new SecurityException("scripts cannot list directories");
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return path.isAbsolute() ? path : files.root().resolve(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        return confined(path);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        Path real = confined(path);
        int colon = attributes.indexOf(':');
        String view = colon < 0 ? "basic" : attributes.substring(0, colon);
        if (!files.holds(real) || !view.equals("basic")) {
            return disk.readAttributes(real, attributes, options);
        }
        Map<String, Object> all = files.basicAttributes(real);
        String names = attributes.substring(colon + 1);
        if (names.equals("*")) {
            return all;
        }
        Map<String, Object> asked = new java.util.HashMap<>();
        for (String n : names.split(",")) {
            if (!all.containsKey(n)) {
                throw new IllegalArgumentException("unknown attribute " + n);
            }
            asked.put(n, all.get(n));
        }
        return asked;
    }

    /** The real path of {@code path} in this version, if it lies inside the script's directory. */
    private Path confined(Path path) throws IOException {
        return files.resolve(toAbsolutePath(path));
    }

    /** A read-only channel over a version's kept content. */
    private static final class KeptBytes implements SeekableByteChannel {
        private final byte[] bytes;
        private long position;
        private boolean open = true;

        KeptBytes(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public synchronized int read(ByteBuffer dst) throws IOException {
            ensureOpen();
            if (position >= bytes.length) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), bytes.length - position);
            dst.put(bytes, (int) position, n);
            position += n;
            return n;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public synchronized long position() throws IOException {
            ensureOpen();
            return position;
        }

        @Override
        public synchronized SeekableByteChannel position(long newPosition) throws IOException {
            ensureOpen();
            if (newPosition < 0) {
                throw new IllegalArgumentException("negative position");
            }
            position = newPosition;
            return this;
        }

        @Override
        public long size() throws IOException {
            ensureOpen();
            return bytes.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public synchronized boolean isOpen() {
            return open;
        }

        @Override
        public synchronized void close() {
            open = false;
        }

        private void ensureOpen() throws IOException {
            if (!open) {
                throw new ClosedChannelException();
            }
        }
    }
}
