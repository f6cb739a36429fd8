// SPDX-License-Identifier: Apache-2.0
package dev.kiln.analysis.jvm;

import dev.kiln.analysis.Filter;
import dev.kiln.analysis.Weight;
import dev.kiln.analysis.Weights;
import dev.kiln.analysis.tree.CallTree;
import dev.kiln.io.ProfileLoader;
import dev.kiln.job.ProgressSink;
import dev.kiln.model.Profile;
import dev.kiln.testutil.Captures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The views' weights: the profile's own and, for a recording that threw, its exceptions, one object per profile. */
class JvmWeightsTest {
    @Test
    void aRecordingThatThrewOffersItsExceptionsLastTheSameEachTime() throws Exception {
        Profile p = CpuLoadTest.load("jdk17-zgc");
        List<Weight> all = JvmWeights.available(p);
        List<Weight> want = new ArrayList<>(Weights.available(p));
        Weight exceptions = all.get(all.size() - 1);
        want.add(exceptions);
        assertEquals(want, all);
        assertEquals(ThrownExceptions.THROWN, exceptions.type());
        assertEquals(all, JvmWeights.available(p), "equal on every call");
        assertSame(exceptions, JvmWeights.parse(p, "exceptions"));
        // jfr summary: 417 jdk.JavaExceptionThrow, 6 jdk.JavaErrorThrow (each error written once more as an exception)
        assertEquals(417 - 6, CallTree.build(p, exceptions, Filter.NONE, CallTree.Options.DEFAULT).rootTotal());
    }

    @Test
    void aProfileWithoutThrowsOffersItsOwnWeights() throws Exception {
        Profile p = ProfileLoader.load(Captures.file("pprof", "cpu-regressed.pb.gz"), ProgressSink.NONE);
        assertEquals(Weights.available(p), JvmWeights.available(p));
    }
}
