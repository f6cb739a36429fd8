// SPDX-License-Identifier: Apache-2.0
package dev.kiln.bench;

import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.model.SampleTable;
import jdk.jfr.consumer.RecordingFile;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.flightrecorder.JfrLoaderToolkit;

import java.nio.file.Path;

/**
 * One load per process, for parser/bench/big-captures.sh to time whole processes side by side:
 * {@code kiln FILE} (Kiln's full model), {@code jmc FILE} (JMC's {@code JfrLoaderToolkit.loadEvents}, every event
 * counted) and {@code recordingfile FILE} (the JDK's {@code RecordingFile}, every event read). Each prints what it
 * read, so a run that read nothing shows. A measuring tool, not a test.
 */
public final class ReferenceLoaders {
    private ReferenceLoaders() { }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ReferenceLoaders kiln|jmc|recordingfile FILE");
            System.exit(64);
        }
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "kiln" -> {
                Profile p = ProfileLoader.load(file, ProgressSink.NONE);
                long samples = 0;
                for (SampleTable t : p.sampleTables()) samples += t.size();
                System.out.println("kiln: " + samples + " samples, " + p.events().size() + " events, "
                        + p.threads().size() + " threads, " + p.stacks().size() + " stacks");
            }
            case "jmc" -> {
                IItemCollection items = JfrLoaderToolkit.loadEvents(file.toFile());
                long n = 0;
                for (IItemIterable it : items) n += it.getItemCount();
                System.out.println("jmc: " + n + " events");
            }
            case "recordingfile" -> {
                long n = 0;
                try (RecordingFile rf = new RecordingFile(file)) {
                    while (rf.hasMoreEvents()) {
                        rf.readEvent();
                        n++;
                    }
                }
                System.out.println("recordingfile: " + n + " events");
            }
            default -> {
                System.err.println("unknown loader " + args[0]);
                System.exit(64);
            }
        }
    }
}
