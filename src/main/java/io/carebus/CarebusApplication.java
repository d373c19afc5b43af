package io.carebus;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class CarebusApplication {
    public static void main(String[] args) {
        SpringApplication.run(CarebusApplication.class, args);
    }
}
