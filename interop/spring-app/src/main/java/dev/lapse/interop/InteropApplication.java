package dev.lapse.interop;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class InteropApplication {
  public static void main(String[] args) {
    SpringApplication.run(InteropApplication.class, args);
  }
}
