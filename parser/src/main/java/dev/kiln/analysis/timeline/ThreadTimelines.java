// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.timeline;

import dev.kiln.analysis.Filter;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.EventKind;
import dev.kiln.model.EventTable;
import dev.kiln.model.IntList;
import dev.kiln.model.LongList;
import dev.kiln.model.Profile;
import dev.kiln.model.ProfileBuilder;
import dev.kiln.model.SampleTable;
import dev.kiln.model.ValueType;

import java.util.Arrays;

/**
 * Per-thread state timelines of a JFR recording: one lane per thread, each a sorted sequence of non-overlapping,
 * gap-free intervals {@code [start, end)} (epoch ns) with a {@link ThreadState} and a link to the evidence (an
 * {@link EventTable} row, a row of the {@code jdk.ExecutionSample} or {@code jdk.NativeMethodSample} table, or
 * nothing for {@link ThreadState#UNKNOWN}). Everything is held in columns: no object per interval.
 *
 * <p><b>Lane bounds.</b> A lane starts at the thread's {@code jdk.ThreadStart} event, or at its first recorded
 * activity when there is none, and ends at its {@code jdk.ThreadEnd}, or at the end of its last activity (the last
 * event's end or the last sample's interval). Events are measured facts: a lane is widened when an event lies
 * partly outside the thread start/end (clock skew). Sample intervals never stretch a lane past a thread end.
 * Threads with no activity and no start+end pair get no lane. With a time range in the {@link Filter}, every lane
 * and interval is clipped to {@code [from, to)}; lanes empty after clipping are dropped.
 *
 * <p><b>Samples.</b> A sample is an instant; it stands for the sampling period after it: {@code [t, t + period)}.
 * For execution samples the period is the recording's own setting when the profile has it
 * ({@link Profile#period()} of type cpu/nanoseconds, read from {@code jdk.ActiveSetting}). Otherwise (native
 * samples, recordings without the setting) the period of a sample table is estimated as the median gap between
 * consecutive samples of the same thread, capped at {@value #MAX_PERIOD_MS} ms. A thread that is not always running is sampled less often than the period, so the median over-estimates it
 * and the cap usually decides: {@code default.jfc} samples Java and native stacks every 20 ms, {@code profile.jfc}
 * Java stacks every 10 ms and native ones every 20 ms, so a sparse {@code profile.jfc} sample may be credited up
 * to twice its share (continuously sampled threads are not: see the next-sample cut). The periods used are
 * reported ({@link #executionSamplePeriodNanos()}). The interval is then cut short by the thread's next sample,
 * by the next event interval, and by the lane end.
 *
 * <p><b>Precedence.</b> (1) Events with a duration (monitor enter/wait, park, sleep, socket and file I/O) win over
 * samples: a sample that falls inside an event interval is dropped (its time belongs to the event), one before an
 * event is cut at the event's start. (2) Among events of one thread, the one that started later wins while it
 * lasts (at equal starts, the shorter one): an inner event inside an outer one splits the outer into the part
 * before and the part after, both linked to the outer row; a partly overlapping later event cuts the earlier one
 * short. (3) Of two samples at the same instant, the later row in time order wins. Events without a duration
 * (zero-length) add nothing. Time with no evidence is {@link ThreadState#UNKNOWN}, so the per-state totals of a lane
 * add up to exactly its length.
 */
public final class ThreadTimelines {
    /** Upper bound of the estimated sampling period, in milliseconds. */
    public static final int MAX_PERIOD_MS = 20;
    static final long MAX_PERIOD = MAX_PERIOD_MS * 1_000_000L;
    static final String EXECUTION_TABLE = "jdk.ExecutionSample", NATIVE_TABLE = "jdk.NativeMethodSample";

    /** Where an interval's state comes from; {@link #sourceRow(int)} is a row of that table. */
    public enum Source {
        /** Nothing recorded ({@link ThreadState#UNKNOWN}); row -1. */
        NONE,
        /** A row of {@link Profile#events()}. */
        EVENT,
        /** A row of the {@code jdk.ExecutionSample} sample table. */
        EXECUTION_SAMPLE,
        /** A row of the {@code jdk.NativeMethodSample} sample table. */
        NATIVE_SAMPLE;

        private static final Source[] VALUES = values();
    }

    private final int[] laneThread, laneFirst;
    private final long[] laneStart, laneEnd, laneTotals;
    private final long[] start, end;
    private final byte[] state, source;
    private final int[] sourceRow;
    private final long executionPeriod, nativePeriod;
    private final SampleTable executionTable, nativeTable;

    private ThreadTimelines(Builder b) {
        laneThread = b.laneThread.toArray();
        laneStart = b.laneStart.toArray();
        laneEnd = b.laneEnd.toArray();
        b.laneFirst.add(b.start.size());
        laneFirst = b.laneFirst.toArray();
        laneTotals = b.totals.toArray();
        start = b.start.toArray();
        end = b.end.toArray();
        int[] st = b.state.toArray(), src = b.source.toArray();
        state = new byte[st.length];
        source = new byte[src.length];
        for (int i = 0; i < st.length; i++) { state[i] = (byte) st[i]; source[i] = (byte) src[i]; }
        sourceRow = b.row.toArray();
        executionPeriod = b.period[0];
        nativePeriod = b.period[1];
        executionTable = b.tables[0];
        nativeTable = b.tables[1];
    }

    /** Timelines of every thread, whole recording. */
    public static ThreadTimelines of(Profile profile) { return of(profile, Filter.NONE, ProgressSink.NONE); }

    /**
     * Timelines of the threads that pass {@code filter}'s thread conditions, clipped to its time range. The
     * focus/ignore/hide/label conditions do not apply (a lane is about time, not stacks).
     */
    public static ThreadTimelines of(Profile profile, Filter filter, ProgressSink progress) {
        Builder b = new Builder(profile, filter == null ? Filter.NONE : filter, progress);
        b.build();
        return new ThreadTimelines(b);
    }

    // ---- lanes

    public int laneCount() { return laneThread.length; }

    /** Thread row of a lane. */
    public int laneThread(int lane) { return laneThread[lane]; }

    /** The lane of a thread row, or -1 when it has none. */
    public int laneOf(int thread) {
        for (int i = 0; i < laneThread.length; i++) if (laneThread[i] == thread) return i;
        return -1;
    }

    public long laneStartNanos(int lane) { return laneStart[lane]; }

    public long laneEndNanos(int lane) { return laneEnd[lane]; }

    public long laneLengthNanos(int lane) { return laneEnd[lane] - laneStart[lane]; }

    /** First interval of a lane. */
    public int firstInterval(int lane) { return laneFirst[lane]; }

    /** One past the last interval of a lane. */
    public int endInterval(int lane) { return laneFirst[lane + 1]; }

    /** Nanoseconds the lane spends in a state; the totals of all states add up to {@link #laneLengthNanos}. */
    public long total(int lane, ThreadState s) { return laneTotals[lane * ThreadState.COUNT + s.ordinal()]; }

    /** The interval of a lane that contains {@code timeNanos}, or -1. */
    public int intervalAt(int lane, long timeNanos) {
        int lo = laneFirst[lane], hi = laneFirst[lane + 1] - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (end[mid] <= timeNanos) lo = mid + 1;
            else if (start[mid] > timeNanos) hi = mid - 1;
            else return mid;
        }
        return -1;
    }

    // ---- intervals

    public int intervalCount() { return start.length; }

    public long startNanos(int interval) { return start[interval]; }

    public long endNanos(int interval) { return end[interval]; }

    public ThreadState state(int interval) { return ThreadState.of(state[interval]); }

    public Source source(int interval) { return Source.VALUES[source[interval]]; }

    /** The row of the interval's evidence in the table named by {@link #source(int)}, or -1. */
    public int sourceRow(int interval) { return sourceRow[interval]; }

    // ---- how samples were turned into intervals

    /** The period assumed for {@code jdk.ExecutionSample} (ns), 0 when the recording has none. */
    public long executionSamplePeriodNanos() { return executionPeriod; }

    /** The period assumed for {@code jdk.NativeMethodSample} (ns), 0 when the recording has none. */
    public long nativeSamplePeriodNanos() { return nativePeriod; }

    /** The sample table that {@link Source#EXECUTION_SAMPLE} rows refer to, or null. */
    public SampleTable executionSamples() { return executionTable; }

    /** The sample table that {@link Source#NATIVE_SAMPLE} rows refer to, or null. */
    public SampleTable nativeSamples() { return nativeTable; }

    /** The sample table of a source, or null for events and gaps. */
    public SampleTable sampleTable(Source s) {
        return s == Source.EXECUTION_SAMPLE ? executionTable : s == Source.NATIVE_SAMPLE ? nativeTable : null;
    }

    // ---- construction

    private static final class Builder {
        final Profile p;
        final Filter filter;
        final ProgressSink progress;
        final SampleTable[] tables = new SampleTable[2];
        final long[] period = new long[2];
        // output
        final IntList laneThread = new IntList(), laneFirst = new IntList();
        final LongList laneStart = new LongList(), laneEnd = new LongList(), totals = new LongList();
        final LongList start = new LongList(1024), end = new LongList(1024);
        final IntList state = new IntList(1024), source = new IntList(1024), row = new IntList(1024);
        long[] laneTotal = new long[ThreadState.COUNT];
        long cursorClipLo, cursorClipHi;

        Builder(Profile p, Filter filter, ProgressSink progress) {
            this.p = p;
            this.filter = filter;
            this.progress = progress == null ? ProgressSink.NONE : progress;
            for (SampleTable t : p.sampleTables()) {
                if (!t.hasTime()) continue;
                if (t.name().equals(EXECUTION_TABLE)) tables[0] = t;
                else if (t.name().equals(NATIVE_TABLE)) tables[1] = t;
            }
        }

        void build() {
            int threads = p.threads().size();
            boolean[] accept = new boolean[threads];
            for (int t = 0; t < threads; t++) accept[t] = filter.acceptsThread(p, t);

            // Samples of both tables: one id space (execution rows, then native rows), sorted once by time,
            // then distributed per thread (a stable counting sort keeps the time order within a thread).
            int nExec = tables[0] == null ? 0 : tables[0].size(), nNative = tables[1] == null ? 0 : tables[1].size();
            long[] time = new long[nExec + nNative];
            int[] threadOf = new int[time.length];
            for (int i = 0; i < time.length; i++) {
                SampleTable t = i < nExec ? tables[0] : tables[1];
                int r = i < nExec ? i : i - nExec;
                time[i] = t.timeNanos(r);
                threadOf[i] = t.thread(r);
            }
            int[] byTime = ProfileBuilder.sortedOrder(time);
            if (byTime == null) byTime = java.util.stream.IntStream.range(0, time.length).toArray();
            int[] sampleOff = new int[threads + 1];
            for (int id : byTime) if (ok(threadOf[id], accept)) sampleOff[threadOf[id] + 1]++;
            for (int t = 0; t < threads; t++) sampleOff[t + 1] += sampleOff[t];
            int[] samples = new int[sampleOff[threads]];
            int[] fill = Arrays.copyOf(sampleOff, threads);
            for (int id : byTime) if (ok(threadOf[id], accept)) samples[fill[threadOf[id]]++] = id;
            progress.checkCancelled();

            // Period per table: median gap between consecutive samples of one thread, capped.
            for (int k = 0; k < 2; k++) {
                if (tables[k] == null) continue;
                long[] gaps = new long[samples.length];
                int n = 0;
                for (int t = 0; t < threads; t++) {
                    long last = Long.MIN_VALUE;
                    for (int i = sampleOff[t]; i < sampleOff[t + 1]; i++) {
                        int id = samples[i];
                        if ((id < nExec) != (k == 0)) continue;
                        if (last != Long.MIN_VALUE) gaps[n++] = time[id] - last;
                        last = time[id];
                    }
                }
                Arrays.sort(gaps, 0, n);
                period[k] = n == 0 ? MAX_PERIOD : Math.max(1, Math.min(MAX_PERIOD, gaps[n / 2]));
                if (k == 0 && p.period() > 0 && new ValueType("cpu", "nanoseconds").equals(p.periodType())) period[k] = p.period();
            }

            // Events: state-making events per thread (already in start order), thread start/end times.
            EventTable ev = p.events();
            long[] threadStart = new long[threads], threadEnd = new long[threads];
            Arrays.fill(threadStart, Long.MIN_VALUE);
            Arrays.fill(threadEnd, Long.MIN_VALUE);
            int[] eventOff = new int[threads + 1];
            byte[] evState = new byte[ev.size()];
            for (int r = 0; r < ev.size(); r++) {
                int t = ev.thread(r);
                evState[r] = -1;
                if (!ok(t, accept)) continue;
                EventKind k = ev.kind(r);
                if (k == EventKind.THREAD_START) {
                    if (threadStart[t] == Long.MIN_VALUE) threadStart[t] = ev.startNanos(r);
                } else if (k == EventKind.THREAD_END) {
                    threadEnd[t] = Math.max(threadEnd[t], ev.startNanos(r));
                } else {
                    ThreadState s = ThreadState.ofEvent(p, r);
                    if (s != null && ev.durationNanos(r) > 0) {
                        evState[r] = (byte) s.ordinal();
                        eventOff[t + 1]++;
                    }
                }
            }
            for (int t = 0; t < threads; t++) eventOff[t + 1] += eventOff[t];
            int[] events = new int[eventOff[threads]];
            fill = Arrays.copyOf(eventOff, threads);
            for (int r = 0; r < ev.size(); r++) if (evState[r] >= 0) events[fill[ev.thread(r)]++] = r;
            progress.checkCancelled();

            int maxEvents = 0;
            for (int t = 0; t < threads; t++) maxEvents = Math.max(maxEvents, eventOff[t + 1] - eventOff[t]);
            Lane lane = new Lane(maxEvents);
            for (int t = 0; t < threads; t++) {
                if ((t & 63) == 0) {
                    progress.checkCancelled();
                    progress.progress(t, threads, "building thread timelines");
                }
                lane(lane, t, events, eventOff[t], eventOff[t + 1], evState, samples, sampleOff[t], sampleOff[t + 1],
                        time, nExec, threadStart[t], threadEnd[t]);
            }
        }

        private static boolean ok(int thread, boolean[] accept) { return thread >= 0 && thread < accept.length && accept[thread]; }

        /** Scratch space for one thread: the open-event stack and the visible event segments. */
        static final class Lane {
            final long[] stackStart, stackEnd, segStart, segEnd;
            final int[] stackRow, segRow;
            int sp, nSeg;
            long cursor;

            Lane(int maxEvents) {
                stackStart = new long[maxEvents];
                stackEnd = new long[maxEvents];
                stackRow = new int[maxEvents];
                segStart = new long[2 * maxEvents + 1];
                segEnd = new long[2 * maxEvents + 1];
                segRow = new int[2 * maxEvents + 1];
            }

            /** Emits what the open events show until {@code x}: the top of the stack is the visible one. */
            void flushUntil(long x) {
                while (sp > 0) {
                    long topEnd = stackEnd[sp - 1];
                    if (topEnd <= x) {
                        segment(stackRow[sp - 1], cursor, topEnd);
                        sp--;
                    } else {
                        segment(stackRow[sp - 1], cursor, x);
                        return;
                    }
                }
            }

            private void segment(int r, long a, long b) {
                if (b > a) {
                    if (nSeg > 0 && segRow[nSeg - 1] == r && segEnd[nSeg - 1] == a) {
                        segEnd[nSeg - 1] = b; // same event continued (only after an empty inner piece)
                    } else {
                        segStart[nSeg] = a;
                        segEnd[nSeg] = b;
                        segRow[nSeg++] = r;
                    }
                }
                cursor = Math.max(cursor, b);
            }

            /** Opens an event; at equal starts the shorter one goes on top (it is the inner one). */
            void push(long s, long e, int r) {
                int i = sp;
                while (i > 0 && stackStart[i - 1] == s && stackEnd[i - 1] < e) i--;
                System.arraycopy(stackStart, i, stackStart, i + 1, sp - i);
                System.arraycopy(stackEnd, i, stackEnd, i + 1, sp - i);
                System.arraycopy(stackRow, i, stackRow, i + 1, sp - i);
                stackStart[i] = s;
                stackEnd[i] = e;
                stackRow[i] = r;
                sp++;
            }
        }

        private void lane(Lane l, int thread, int[] events, int e0, int e1, byte[] evState, int[] samples, int s0,
                          int s1, long[] time, int nExec, long threadStart, long threadEnd) {
            boolean hasStart = threadStart != Long.MIN_VALUE, hasEnd = threadEnd != Long.MIN_VALUE;
            if (e0 == e1 && s0 == s1 && !(hasStart && hasEnd)) return;
            EventTable ev = p.events();

            // Visible event segments, in time order, without overlaps.
            l.sp = 0;
            l.nSeg = 0;
            l.cursor = Long.MIN_VALUE;
            long firstEvent = Long.MAX_VALUE, lastEventEnd = Long.MIN_VALUE;
            for (int i = e0; i < e1; i++) {
                int r = events[i];
                long s = ev.startNanos(r), e = s + ev.durationNanos(r);
                firstEvent = Math.min(firstEvent, s);
                lastEventEnd = Math.max(lastEventEnd, e);
                l.flushUntil(s);
                l.cursor = Math.max(l.cursor, s);
                l.push(s, e, r);
            }
            l.flushUntil(Long.MAX_VALUE);

            // Lane bounds.
            long first = Math.min(firstEvent, s0 < s1 ? time[samples[s0]] : Long.MAX_VALUE);
            long lo = hasStart ? Math.min(threadStart, first) : first;
            long hi;
            if (hasEnd) {
                hi = Math.max(threadEnd, lastEventEnd);
            } else {
                hi = lastEventEnd;
                if (s0 < s1) {
                    int id = samples[s1 - 1];
                    hi = Math.max(hi, time[id] + period[id < nExec ? 0 : 1]);
                }
            }
            if (s0 < s1) hi = Math.max(hi, time[samples[s1 - 1]]);
            lo = Math.max(lo, filter.fromNanos());
            hi = Math.min(hi, filter.toNanos());
            if (hi <= lo) return;

            Arrays.fill(laneTotal, 0);
            laneThread.add(thread);
            laneFirst.add(start.size());
            laneStart.add(lo);
            laneEnd.add(hi);
            cursorClipLo = lo;
            cursorClipHi = hi;

            // Merge samples into the gaps between event segments.
            long cursor = lo, coveredUntil = Long.MIN_VALUE;
            int g = 0, si = s0;
            while (g < l.nSeg || si < s1) {
                long segS = g < l.nSeg ? l.segStart[g] : Long.MAX_VALUE;
                long t = si < s1 ? time[samples[si]] : Long.MAX_VALUE;
                if (t < segS) {
                    int id = samples[si];
                    if (t >= coveredUntil) { // not inside an event interval
                        boolean exec = id < nExec;
                        long next = si + 1 < s1 ? time[samples[si + 1]] : Long.MAX_VALUE;
                        long stop = Math.min(Math.min(t + period[exec ? 0 : 1], next), segS);
                        long a = Math.max(t, cursor);
                        cursor = emitAfterGap(cursor, a, stop, exec ? ThreadState.RUNNING : ThreadState.RUNNABLE_NATIVE,
                                exec ? Source.EXECUTION_SAMPLE : Source.NATIVE_SAMPLE, exec ? id : id - nExec);
                    }
                    si++;
                } else {
                    int r = l.segRow[g];
                    cursor = emitAfterGap(cursor, Math.max(segS, cursor), l.segEnd[g], ThreadState.of(evState[r]), Source.EVENT, r);
                    coveredUntil = l.segEnd[g];
                    g++;
                }
            }
            emit(cursor, hi, ThreadState.UNKNOWN, Source.NONE, -1);
            for (long v : laneTotal) totals.add(v);
        }

        /** UNKNOWN from {@code cursor} to {@code a}, then the state on {@code [a, b)}; returns the new cursor. */
        private long emitAfterGap(long cursor, long a, long b, ThreadState s, Source src, int r) {
            if (b <= a) return cursor;
            emit(cursor, a, ThreadState.UNKNOWN, Source.NONE, -1);
            emit(a, b, s, src, r);
            return Math.max(cursor, Math.min(b, cursorClipHi));
        }

        private void emit(long a, long b, ThreadState s, Source src, int r) {
            a = Math.max(a, cursorClipLo);
            b = Math.min(b, cursorClipHi);
            if (b <= a) return;
            start.add(a);
            end.add(b);
            state.add(s.ordinal());
            source.add(src.ordinal());
            row.add(r);
            laneTotal[s.ordinal()] += b - a;
        }
    }

}
