package dev.steadytext.backend.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BackgroundLoadTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** A loaded value that records its closing and the thread that closed it. */
    private static final class Model implements AutoCloseable {
        final AtomicReference<String> closedBy = new AtomicReference<>();

        @Override
        public void close() {
            closedBy.compareAndSet(null, Thread.currentThread().getName());
        }
    }

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    private BackgroundLoad.Registrar<Model> registrar() {
        return model -> {
            events.add("registered");
            return () -> events.add("unregistered");
        };
    }

    private static void awaitRegistered(List<String> events) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!events.contains("registered") && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
    }

    @Test
    void registersWhenLoaded_andCancelUnregistersThenCloses() throws Exception {
        Model model = new Model();
        BackgroundLoad<Model> load = BackgroundLoad.start("test-load", cancelled -> model, registrar(), failures::add);
        awaitRegistered(events);

        load.cancel(TIMEOUT);

        assertThat(events).containsExactly("registered", "unregistered");
        assertThat(model.closedBy.get()).isEqualTo(Thread.currentThread().getName());
        assertThat(failures).isEmpty();
    }

    @Test
    void cancelDuringLoad_waitsForTheLoader_neverRegisters_andClosesWhatItLoaded() throws Exception {
        Model model = new Model();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean loaderEnded = new AtomicBoolean();
        BackgroundLoad<Model> load = BackgroundLoad.start("test-load", cancelled -> {
            loading.countDown();
            release.await(); // an uninterruptible native load, as far as cancel() knows
            Thread.sleep(200);
            loaderEnded.set(true);
            return model;
        }, registrar(), failures::add);
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();

        Thread releaser = Thread.ofPlatform().start(() -> {
            sleep(300);
            release.countDown();
        });
        long start = System.nanoTime();
        load.cancel(TIMEOUT);

        assertThat(loaderEnded).as("cancel returned only after the loader ended").isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(events).isEmpty();
        assertThat(model.closedBy.get()).isEqualTo(Thread.currentThread().getName());
        assertThat(failures).isEmpty();
        releaser.join();
    }

    @Test
    void loaderSeesCancellation_andMayGiveUp() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        AtomicBoolean sawCancel = new AtomicBoolean();
        BackgroundLoad<Model> load = BackgroundLoad.start("test-load", cancelled -> {
            loading.countDown();
            while (!cancelled.getAsBoolean()) {
                Thread.onSpinWait();
            }
            sawCancel.set(true);
            return null;
        }, registrar(), failures::add);
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();

        load.cancel(TIMEOUT);

        assertThat(sawCancel).isTrue();
        assertThat(events).isEmpty();
        assertThat(failures).isEmpty();
    }

    @Test
    void failureIsReported_unlessCancelled() throws Exception {
        BackgroundLoad<Model> failing = BackgroundLoad.start("test-load", cancelled -> {
            throw new java.io.IOException("no such model");
        }, registrar(), failures::add);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (failures.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        failing.cancel(TIMEOUT);

        CountDownLatch loading = new CountDownLatch(1);
        BackgroundLoad<Model> cancelledFailing = BackgroundLoad.start("test-load", cancelled -> {
            loading.countDown();
            while (!cancelled.getAsBoolean()) {
                Thread.onSpinWait();
            }
            throw new IllegalStateException("zip file closed");
        }, registrar(), failures::add);
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();
        cancelledFailing.cancel(TIMEOUT);

        assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessage("no such model"));
        assertThat(events).isEmpty();
    }

    @Test
    void failingRegistration_closesTheValue_andIsReported() throws Exception {
        Model model = new Model();
        BackgroundLoad<Model> load = BackgroundLoad.start("test-load", cancelled -> model, loaded -> {
            throw new IllegalStateException("bundle context invalid");
        }, failures::add);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (failures.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessage("bundle context invalid"));
        assertThat(model.closedBy.get()).isEqualTo("test-load");
        load.cancel(TIMEOUT);
    }

    @Test
    void cancelTimesOut_thenTheLoaderClosesItsValueItself() throws Exception {
        Model model = new Model();
        CountDownLatch release = new CountDownLatch(1);
        BackgroundLoad<Model> load = BackgroundLoad.start("test-load", cancelled -> {
            release.await();
            return model;
        }, registrar(), failures::add);

        load.cancel(Duration.ofMillis(100));
        assertThat(model.closedBy.get()).isNull();
        release.countDown();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (model.closedBy.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        assertThat(model.closedBy.get()).isEqualTo("test-load");
        assertThat(events).isEmpty();
    }

    @Test
    void cancelIsIdempotent() throws Exception {
        Model model = new Model();
        BackgroundLoad<Model> load = BackgroundLoad.start("test-load", cancelled -> model, registrar(), failures::add);
        awaitRegistered(events);

        load.cancel(TIMEOUT);
        load.cancel(TIMEOUT);

        assertThat(events).containsExactly("registered", "unregistered");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
