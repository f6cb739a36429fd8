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
        assertEquals(Weights.available(p), JvmWeights.made(p), "before the exceptions' table is made");
        List<Weight> all = JvmWeights.available(p);
        List<Weight> want = new ArrayList<>(Weights.available(p));
        Weight exceptions = all.get(all.size() - 1);
        want.add(exceptions);
        assertEquals(want, all);
        assertEquals(ThrownExceptions.THROWN, exceptions.type());
        assertEquals(all, JvmWeights.available(p), "equal on every call");
        assertSame(exceptions, JvmWeights.parse(p, "exceptions"));
        assertEquals(all, JvmWeights.made(p), "once it is made");
        assertEquals(all.stream().map(Weight::type).toList(), JvmWeights.types(p));
        // jfr summary: 417 jdk.JavaExceptionThrow, 6 jdk.JavaErrorThrow (each error written once more as an exception)
        assertEquals(417 - 6, CallTree.build(p, exceptions, Filter.NONE, CallTree.Options.DEFAULT).rootTotal());
    }

    @Test
    void aProfileWithoutThrowsOffersItsOwnWeights() throws Exception {
        Profile p = ProfileLoader.load(Captures.file("pprof", "cpu-regressed.pb.gz"), ProgressSink.NONE);
        assertEquals(Weights.available(p), JvmWeights.available(p));
        assertEquals(Weights.available(p).stream().map(Weight::type).toList(), JvmWeights.types(p));
    }

    @Test
    void theTypesNamedWithoutTheTableAreTheTypesOfTheWeights() throws Exception {
        // jdk17-safepoints threw only errors (2 jdk.JavaErrorThrow, no jdk.JavaExceptionThrow); jdk17-emergency-dump threw nothing (both types declared, 0 events)
        for (String name : new String[] {"jdk17-safepoints", "jdk17-serial", "jdk25-parallel", "jdk25-zgc", "jdk17-emergency-dump"}) {
            Profile p = CpuLoadTest.load(name);
            List<?> types = JvmWeights.types(p);
            assertEquals(JvmWeights.available(p).stream().map(Weight::type).toList(), types, name);
            assertEquals(!name.equals("jdk17-emergency-dump"), types.contains(ThrownExceptions.THROWN), name);
        }
    }
}
