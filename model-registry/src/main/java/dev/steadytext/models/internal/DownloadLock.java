package dev.steadytext.models.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Exclusive right to download one file, across processes (an OS file lock on a lock file) and across threads of this
 * process (a semaphore, since a JVM may not hold two locks on one file). The lock file is never deleted: deleting it
 * while another process waits on it would let a third lock a new file of the same name at the same time.
 */
public final class DownloadLock implements AutoCloseable {

    // File locks belong to the whole process, so the guard between this process's threads must be process-wide too.
    private static final ConcurrentHashMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();

    private final Semaphore inProcess;
    private final FileChannel channel;
    private final FileLock lock;

    private DownloadLock(Semaphore inProcess, FileChannel channel, FileLock lock) {
        this.inProcess = inProcess;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Waits until this thread holds the lock of {@code lockFile}, calling {@code onWait} once first if another
     * thread or process holds it.
     */
    public static DownloadLock acquire(Path lockFile, Runnable onWait) throws IOException, InterruptedException {
        Path key = lockFile.toAbsolutePath().normalize();
        Semaphore inProcess = IN_PROCESS.computeIfAbsent(key, k -> new Semaphore(1));
        boolean waited = false;
        if (!inProcess.tryAcquire()) {
            onWait.run();
            waited = true;
            inProcess.acquire();
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(key.getParent());
            channel = FileChannel.open(key, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                if (!waited) {
                    onWait.run();
                }
                lock = channel.lock();
            }
            return new DownloadLock(inProcess, channel, lock);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            inProcess.release();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
            channel.close();
        } finally {
            inProcess.release();
        }
    }
}
