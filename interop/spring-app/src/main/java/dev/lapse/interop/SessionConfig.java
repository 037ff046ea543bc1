package dev.lapse.interop;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.data.redis.serializer.GenericJackson2JsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.jackson2.SecurityJackson2Modules;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;

/**
 * Spring Session (indexed Redis repository, see application.properties) and Spring Security:
 * a form login at POST /login (any user name, password "secret"), logout at POST /logout,
 * GET /me for authenticated users only (401 otherwise).
 */
@Configuration
public class SessionConfig implements BeanClassLoaderAware {
  private ClassLoader loader;

  /**
   * The JSON serialization Spring Session's documentation gives for sharing sessions: Jackson with
   * Spring Security's modules (which turn on its allowlisted default typing). Not in profile jdk,
   * which keeps Spring's default JdkSerializationRedisSerializer.
   */
  @Bean
  @Profile("!jdk")
  public RedisSerializer<Object> springSessionDefaultRedisSerializer() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.registerModules(SecurityJackson2Modules.getModules(this.loader));
    return new GenericJackson2JsonRedisSerializer(mapper);
  }

  @Bean
  public SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
    http.csrf(csrf -> csrf.disable())
        .authorizeHttpRequests(requests -> requests.requestMatchers("/me").authenticated().anyRequest().permitAll())
        .formLogin(form -> form.loginProcessingUrl("/login")
            .successHandler((request, response, authentication) -> response.setStatus(200))
            .failureHandler((request, response, exception) -> response.setStatus(401)))
        .logout(logout -> logout.logoutUrl("/logout")
            .logoutSuccessHandler((request, response, authentication) -> response.setStatus(200)))
        .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)));
    return http.build();
  }

  @Bean
  public UserDetailsService users() {
    // Any user name, password "secret": each test logs in as a user of its own.
    return username -> User.withUsername(username).password("{noop}secret").roles("USER").build();
  }

  @Override
  public void setBeanClassLoader(ClassLoader classLoader) {
    this.loader = classLoader;
  }
}
