package dev.lapse.bench;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.RedisClient;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisTemplate;
import org.springframework.data.redis.serializer.GenericJackson2JsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;

/**
 * The real Spring of {@code pnpm bench}: Spring Session's {@link RedisIndexedSessionRepository}
 * on the {@link LettuceConnectionFactory} Spring Boot auto-configures from
 * {@code spring.data.redis.url}, built as Spring Session's
 * {@code RedisIndexedHttpSessionConfiguration.sessionRepository()} builds it, with the JSON
 * serializer Spring Session's documentation gives for JSON sessions
 * ({@link GenericJackson2JsonRedisSerializer} as {@code springSessionDefaultRedisSerializer}).
 * Like the bench's other peers it runs no cleanup schedule and no listener (no
 * {@code RedisMessageListenerContainer}).
 *
 * <p>Protocol: one JSON object per line. The driver writes {@code {"ok":true,"ready":true,
 * "versions":{...}}} once started, then answers each request on stdin with one line:
 * {@code {"cmd":"prepare","sessions":N}}, {@code {"cmd":"cell","op":...,"concurrency":...,
 * "warmupMs":...,"durationMs":...}} (deleteById adds {@code "sessions"} and
 * {@code "warmupSessions"}), {@code {"cmd":"quit"}}. A failure answers
 * {@code {"ok":false,"error":"..."}}. Everything else (Spring's logging) goes to stderr.
 */
@SpringBootApplication
public class SpringDriver {

	/** Everyone's default session timeout in the bench: 30 minutes. */
	static final Duration TIMEOUT = Duration.ofMinutes(30);

	/** What Spring Session's reference documentation configures for JSON sessions. */
	@Bean
	RedisSerializer<Object> springSessionDefaultRedisSerializer() {
		return new GenericJackson2JsonRedisSerializer();
	}

	/** As RedisIndexedHttpSessionConfiguration builds it, with the cleanup cron disabled. */
	@Bean
	RedisIndexedSessionRepository sessionRepository(RedisConnectionFactory connectionFactory,
			RedisSerializer<Object> springSessionDefaultRedisSerializer, ApplicationEventPublisher publisher,
			@Value("${bench.namespace}") String namespace) {
		RedisTemplate<String, Object> template = new RedisTemplate<>();
		template.setKeySerializer(RedisSerializer.string());
		template.setHashKeySerializer(RedisSerializer.string());
		template.setDefaultSerializer(springSessionDefaultRedisSerializer);
		template.setConnectionFactory(connectionFactory);
		template.setBeanClassLoader(SpringDriver.class.getClassLoader());
		template.afterPropertiesSet();
		RedisIndexedSessionRepository repository = new RedisIndexedSessionRepository(template);
		repository.setApplicationEventPublisher(publisher);
		repository.setDefaultSerializer(springSessionDefaultRedisSerializer);
		repository.setDefaultMaxInactiveInterval(TIMEOUT);
		repository.setRedisKeyNamespace(namespace);
		repository.setCleanupCron(Scheduled.CRON_DISABLED);
		repository.setDatabase(((LettuceConnectionFactory) connectionFactory).getDatabase());
		return repository;
	}

	public static void main(String[] args) throws Exception {
		// stdout carries the protocol only: whatever else writes to System.out goes to stderr.
		PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
		System.setOut(System.err);
		ObjectMapper json = new ObjectMapper();
		SpringApplication application = new SpringApplication(SpringDriver.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.setBannerMode(Banner.Mode.OFF);
		ConfigurableApplicationContext context = application.run(args);
		int exit = 0;
		try (Cells cells = new Cells(context.getBean(RedisIndexedSessionRepository.class),
				context.getBean(RedisConnectionFactory.class))) {
			Map<String, Object> ready = new LinkedHashMap<>();
			ready.put("ok", true);
			ready.put("ready", true);
			ready.put("versions", versions());
			protocol.println(json.writeValueAsString(ready));
			BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				if (line.isBlank()) continue;
				Map<String, Object> reply = new LinkedHashMap<>();
				try {
					JsonNode request = json.readTree(line);
					String cmd = request.path("cmd").asText();
					if (cmd.equals("quit")) break;
					reply.put("ok", true);
					switch (cmd) {
						case "prepare" -> cells.prepare(request.path("sessions").asInt());
						case "cell" -> reply.put("turn", cells.measure(request.path("op").asText(),
								request.path("concurrency").asInt(), request.path("warmupMs").asLong(),
								request.path("durationMs").asLong(), request.path("sessions").asInt(0),
								request.path("warmupSessions").asInt(0)));
						default -> throw new IllegalArgumentException("unknown command " + cmd);
					}
				}
				catch (Exception error) {
					error.printStackTrace();
					reply.clear();
					reply.put("ok", false);
					reply.put("error", error.getClass().getSimpleName() + ": " + error.getMessage());
				}
				protocol.println(json.writeValueAsString(reply));
			}
		}
		catch (Exception error) {
			error.printStackTrace();
			exit = 1;
		}
		finally {
			context.close();
		}
		System.exit(exit);
	}

	private static Map<String, String> versions() {
		Map<String, String> versions = new LinkedHashMap<>();
		versions.put("springBoot", SpringBootVersion.getVersion());
		versions.put("springSession", versionOf(RedisIndexedSessionRepository.class));
		versions.put("springDataRedis", versionOf(RedisTemplate.class));
		versions.put("lettuce", versionOf(RedisClient.class));
		versions.put("java", System.getProperty("java.version"));
		return versions;
	}

	private static String versionOf(Class<?> type) {
		String version = type.getPackage().getImplementationVersion();
		return version == null ? "?" : version;
	}

}
