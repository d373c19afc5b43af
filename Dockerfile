# Runtime image of the built jar: mvn -DskipTests package && docker build -t carebus .
FROM eclipse-temurin:17-jre
RUN useradd --system --home /opt/carebus carebus
WORKDIR /opt/carebus
COPY target/carebus-*.jar /opt/carebus/carebus.jar
COPY config/ /opt/carebus/config/
RUN mkdir -p /opt/carebus/data && chown -R carebus /opt/carebus
USER carebus
# MLLP, HTTP (FHIR, admin API, actuator, Hawtio)
EXPOSE 2575 8080
VOLUME /opt/carebus/data
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/carebus/carebus.jar"]
