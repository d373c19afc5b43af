# syntax=docker/dockerfile:1
# Builds the jar and runs it, nothing needed beforehand but Docker:
#   docker build -t carebus .
#   docker run -p 2575:2575 -p 2222:2222 -p 8080:8080 -v carebus-data:/opt/carebus/data carebus

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml ./
COPY src/ src/
COPY routes/ routes/
COPY config/ config/
COPY mappings/ mappings/
# the Maven repository is kept between builds (BuildKit cache), so a source change does not download it again
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -DskipTests package \
    && cp target/carebus-*.jar /build/carebus.jar

FROM eclipse-temurin:17-jre
# embedded PostgreSQL refuses to run as root
RUN useradd --system --user-group --create-home --home-dir /opt/carebus carebus
WORKDIR /opt/carebus
COPY --from=build /build/carebus.jar /opt/carebus/carebus.jar
COPY config/ /opt/carebus/config/
RUN mkdir -p /opt/carebus/data && chown carebus:carebus /opt/carebus/data
USER carebus
# MLLP, SFTP drop box, HTTP (FHIR, admin API, actuator, Hawtio)
EXPOSE 2575 2222 8080
# Artemis journal, embedded PostgreSQL, journal content, SFTP homes, development keys
VOLUME /opt/carebus/data
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/carebus/carebus.jar"]
