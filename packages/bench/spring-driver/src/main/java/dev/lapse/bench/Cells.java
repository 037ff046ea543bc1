package dev.lapse.bench;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.management.OperatingSystemMXBean;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;
import org.springframework.session.data.redis.RedisIndexedSessionRepository.RedisSession;

/**
 * The bench's operations on Spring's repository, measured as packages/bench/src/measure/cell.ts
 * measures a Node peer: N threads (concurrency N), each running its operation in a loop and
 * waiting for it before the next; an unmeasured warm-up, then the measured time; latency per
 * operation; CPU per operation of this JVM (every thread: the workers, Lettuce's event loop, the
 * JIT and the GC) and of Redis's main thread (INFO cpu).
 */
final class Cells implements AutoCloseable {

	/** Work on a worker thread: {@code false} when there is nothing left to do. */
	@FunctionalInterface
	interface Op {
		boolean run(int worker) throws Exception;
	}

	private final RedisIndexedSessionRepository repository;

	private final RedisConnectionFactory connectionFactory;

	private final ExecutorService threads = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "bench-worker");
		thread.setDaemon(true);
		return thread;
	});

	private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private final AtomicLong counter = new AtomicLong();

	private List<String> pool = List.of();

	private RedisSession[] loaded = new RedisSession[0];

	Cells(RedisIndexedSessionRepository repository, RedisConnectionFactory connectionFactory) {
		this.repository = repository;
		this.connectionFactory = connectionFactory;
	}

	/**
	 * The sessions of findById, delta save and the request mix: {@code n} saved through the
	 * repository, read back for delta save, and each delta-saved once (which also warms the JIT).
	 */
	void prepare(int n) throws Exception {
		this.pool = fill(n);
		RedisSession[] sessions = new RedisSession[n];
		AtomicInteger next = new AtomicInteger();
		all(64, (worker) -> {
			for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
				sessions[i] = load(this.pool.get(i));
			}
			return true;
		});
		this.loaded = sessions;
		AtomicInteger again = new AtomicInteger();
		all(64, (worker) -> {
			for (int i = again.getAndIncrement(); i < n; i = again.getAndIncrement()) {
				deltaSave(sessions[i]);
			}
			return true;
		});
	}

	/** One turn of one cell; deleteById first saves {@code sessions} sessions to delete. */
	Map<String, Object> measure(String op, int concurrency, long warmupMs, long durationMs, int sessions,
			int warmupSessions) throws Exception {
		if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
		switch (op) {
			case "save-new":
				return turn(concurrency, warmupMs, durationMs, (w) -> {
					saveNew(this.counter.getAndIncrement());
					return true;
				}, null);
			case "find":
				return turn(concurrency, warmupMs, durationMs, (w) -> {
					load(randomId());
					return true;
				}, null);
			case "request":
				return turn(concurrency, warmupMs, durationMs, (w) -> {
					deltaSave(load(randomId()));
					return true;
				}, null);
			case "delta-save": {
				if (this.loaded.length < concurrency) throw new IllegalStateException("prepare first");
				// Each thread saves only its own sessions, so no session is saved twice at once.
				int cycle = this.loaded.length - (this.loaded.length % concurrency);
				int[] next = new int[concurrency];
				for (int w = 0; w < concurrency; w++) next[w] = w;
				return turn(concurrency, warmupMs, durationMs, (w) -> {
					int index = next[w];
					next[w] = (index + concurrency) % cycle;
					deltaSave(this.loaded[index]);
					return true;
				}, null);
			}
			case "delete": {
				List<String> victims = fill(sessions);
				AtomicInteger taken = new AtomicInteger();
				int[] limit = { Math.min(warmupSessions, sessions) };
				return turn(concurrency, warmupMs, durationMs, (w) -> {
					int i;
					do {
						i = taken.get();
						if (i >= limit[0]) return false;
					}
					while (!taken.compareAndSet(i, i + 1));
					this.repository.deleteById(victims.get(i));
					return true;
				}, () -> limit[0] = sessions);
			}
			default:
				throw new IllegalArgumentException("unknown operation " + op);
		}
	}

	private String randomId() {
		return this.pool.get(ThreadLocalRandom.current().nextInt(this.pool.size()));
	}

	private RedisSession load(String id) {
		RedisSession session = this.repository.findById(id);
		if (session == null) throw new IllegalStateException("Spring: session " + id + " not found");
		return session;
	}

	/** What a request does to a loaded session: touch it, change one attribute, save it. */
	private void deltaSave(RedisSession session) {
		session.setLastAccessedTime(Instant.now());
		session.setAttribute("counter", this.counter.getAndIncrement());
		this.repository.save(session);
	}

	/** A new session with the bench's three attributes (packages/bench/src/session-data.ts). */
	private String saveNew(long i) {
		RedisSession session = this.repository.createSession();
		byte[] csrf = new byte[16];
		ThreadLocalRandom.current().nextBytes(csrf);
		session.setAttribute("user", String.format("user-%06d", i % 1_000_000));
		session.setAttribute("csrf", HexFormat.of().formatHex(csrf));
		session.setAttribute("locale", "en-US");
		this.repository.save(session);
		return session.getId();
	}

	/** {@code n} new sessions saved through the repository on 64 threads (setup, not measured). */
	private List<String> fill(int n) throws Exception {
		String[] ids = new String[n];
		AtomicInteger next = new AtomicInteger();
		all(64, (worker) -> {
			for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
				ids[i] = saveNew(i);
			}
			return true;
		});
		return Arrays.asList(ids);
	}

	private Map<String, Object> turn(int concurrency, long warmupMs, long durationMs, Op op, Runnable afterWarmup)
			throws Exception {
		drive(concurrency, warmupMs, op, null);
		if (afterWarmup != null) afterWarmup.run();
		Latencies[] samples = new Latencies[concurrency];
		for (int w = 0; w < concurrency; w++) samples[w] = new Latencies();
		double redisBefore = redisCpuUs();
		long cpuBefore = this.os.getProcessCpuTime();
		long started = System.nanoTime();
		boolean exhausted = drive(concurrency, durationMs, op, samples);
		double seconds = (System.nanoTime() - started) / 1e9;
		double cpuUs = (this.os.getProcessCpuTime() - cpuBefore) / 1e3;
		double redisUs = redisCpuUs() - redisBefore;
		double[] all = Latencies.merge(samples);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("ops", all.length);
		result.put("seconds", seconds);
		result.put("perSecond", all.length / seconds);
		result.put("p50", Latencies.percentile(all, 50));
		result.put("p99", Latencies.percentile(all, 99));
		result.put("max", Latencies.percentile(all, 100));
		result.put("exhausted", exhausted);
		result.put("clientCpuUs", cpuUs / all.length);
		result.put("redisCpuUs", redisUs / all.length);
		return result;
	}

	/** Runs {@code op} on {@code concurrency} threads for {@code ms}; true when it ran out of work. */
	private boolean drive(int concurrency, long ms, Op op, Latencies[] samples) throws Exception {
		long deadline = System.nanoTime() + ms * 1_000_000;
		AtomicBoolean exhausted = new AtomicBoolean();
		all(concurrency, (worker) -> {
			while (!exhausted.get() && System.nanoTime() < deadline) {
				long begun = System.nanoTime();
				if (!op.run(worker)) {
					exhausted.set(true);
					return true;
				}
				if (samples != null) samples[worker].add((System.nanoTime() - begun) / 1e6);
			}
			return true;
		});
		return exhausted.get();
	}

	/** Runs {@code task} on {@code n} threads at once and waits for every one; rethrows the first failure. */
	private void all(int n, Op task) throws Exception {
		List<Future<Boolean>> futures = new ArrayList<>(n);
		for (int w = 0; w < n; w++) {
			int worker = w;
			Callable<Boolean> call = () -> task.run(worker);
			futures.add(this.threads.submit(call));
		}
		Exception first = null;
		for (Future<Boolean> future : futures) {
			try {
				future.get();
			}
			catch (java.util.concurrent.ExecutionException error) {
				if (first == null) first = error.getCause() instanceof Exception cause ? cause : error;
			}
		}
		if (first != null) throw first;
	}

	/** Redis's main-thread CPU time so far, µs (as cell.ts's redisCpuUsec). */
	private double redisCpuUs() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			Properties info = connection.serverCommands().info("cpu");
			if (info == null) throw new IllegalStateException("INFO cpu answered nothing");
			return (Double.parseDouble(info.getProperty("used_cpu_user_main_thread"))
					+ Double.parseDouble(info.getProperty("used_cpu_sys_main_thread"))) * 1e6;
		}
	}

	@Override
	public void close() {
		this.threads.shutdownNow();
	}

	/** One thread's latencies, ms. */
	static final class Latencies {

		private double[] values = new double[4096];

		private int length;

		void add(double value) {
			if (this.length == this.values.length) this.values = Arrays.copyOf(this.values, this.length * 2);
			this.values[this.length++] = value;
		}

		static double[] merge(Latencies[] parts) {
			int total = 0;
			for (Latencies part : parts) total += part.length;
			double[] all = new double[total];
			int at = 0;
			for (Latencies part : parts) {
				System.arraycopy(part.values, 0, all, at, part.length);
				at += part.length;
			}
			Arrays.sort(all);
			return all;
		}

		/** Nearest-rank percentile of sorted values, as stats.ts's percentileOf; NaN when empty. */
		static double percentile(double[] sorted, double p) {
			if (sorted.length == 0) return Double.NaN;
			int rank = (int) Math.ceil((p / 100) * sorted.length);
			return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
		}

	}

}
