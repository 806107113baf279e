package dev.steadytext.models;

import java.util.Locale;

/**
 * Where a model download stands, as reported to a {@link DownloadListener}.
 *
 * @param model the model's registry name
 * @param phase what the download is doing
 * @param bytesDone bytes of the file on disk so far, including those of an earlier, interrupted download
 * @param totalBytes the file's size, or -1 while unknown
 * @param bytesPerSecond the transfer rate of this attempt so far, or 0 before any byte arrived
 * @param attempt the attempt (1 for the first), counting automatic retries after a broken connection
 */
public record DownloadProgress(String model, Phase phase, long bytesDone, long totalBytes, double bytesPerSecond,
        int attempt) {

    /** The steps of a download, in order (a retry goes back to {@link #CONNECTING}). */
    public enum Phase {
        /** Another process or thread is downloading the same file; this one waits for it. */
        WAITING,
        /** Sending the request (with a Range header when a partial file exists). */
        CONNECTING,
        /** Receiving the file. */
        TRANSFERRING,
        /** Computing the SHA-256 of the complete file. */
        VERIFYING,
        /** Verified and in place. */
        DONE
    }

    /** The completed fraction from 0 to 1, or -1 while the size is unknown. */
    public double fraction() {
        return totalBytes > 0 ? Math.min(1.0, (double) bytesDone / totalBytes) : totalBytes == 0 ? 1.0 : -1;
    }

    /** One line for logs and plain terminals: {@code 45% (481.2 MB of 1.1 GB) at 12.3 MB/s}. */
    public String describe() {
        return switch (phase) {
            case WAITING -> "waiting for another download of the same file";
            case CONNECTING -> attempt > 1 ? "reconnecting (attempt " + attempt + ") at " + formatBytes(bytesDone)
                    : bytesDone > 0 ? "resuming at " + formatBytes(bytesDone) : "connecting";
            case TRANSFERRING -> (fraction() >= 0 ? String.format(Locale.ROOT, "%.0f%% (%s of %s)", fraction() * 100,
                    formatBytes(bytesDone), formatBytes(totalBytes)) : formatBytes(bytesDone))
                    + " at " + formatBytes(Math.round(bytesPerSecond)) + "/s";
            case VERIFYING -> "verifying the SHA-256 of " + formatBytes(bytesDone);
            case DONE -> "done, " + formatBytes(bytesDone);
        };
    }

    /** A byte count for people, in powers of 1000: {@code 1.2 MB}, {@code 512 B}. */
    public static String formatBytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 999.95 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
