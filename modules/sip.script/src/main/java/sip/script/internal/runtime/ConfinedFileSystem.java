package sip.script.internal.runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.Map;
import java.util.Set;
import org.graalvm.polyglot.io.FileSystem;

/**
 * The only files a script can reach: regular files inside its own directory (subdirectories
 * included), read-only — what {@code import './lib.js'} needs and nothing more. A path outside
 * (after resolving {@code ..} and symbolic links) is reported as not existing, so an
 * {@code import '../secret.js'} fails like a missing module and reveals nothing.
 */
final class ConfinedFileSystem implements FileSystem {

    private final FileSystem delegate = FileSystem.newReadOnlyFileSystem(FileSystem.newDefaultFileSystem());
    private final Path root;

    ConfinedFileSystem(Path directory) throws IOException {
        this.root = directory.toRealPath();
        delegate.setCurrentWorkingDirectory(root);
    }

    @Override
    public Path parsePath(URI uri) {
        return delegate.parsePath(uri);
    }

    @Override
    public Path parsePath(String path) {
        return delegate.parsePath(path);
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions) throws IOException {
        if (modes.contains(AccessMode.WRITE) || modes.contains(AccessMode.EXECUTE)) {
            throw new SecurityException("scripts cannot write or execute files");
        }
        delegate.checkAccess(confined(path), modes, linkOptions);
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
        return delegate.newByteChannel(confined(path), options, attrs);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter) {
        throw new SecurityException("scripts cannot list directories");
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return path.isAbsolute() ? path : root.resolve(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        return confined(path);
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options) throws IOException {
        return delegate.readAttributes(confined(path), attributes, options);
    }

    /** The real path of {@code path}, if it lies inside the script's directory. */
    private Path confined(Path path) throws IOException {
        Path real = toAbsolutePath(path).normalize();
        if (!real.startsWith(root)) {
            throw new NoSuchFileException(path.toString(), null, "outside the script's directory");
        }
        real = real.toRealPath();
        if (!real.startsWith(root)) {
            throw new NoSuchFileException(path.toString(), null, "outside the script's directory");
        }
        return real;
    }
}
