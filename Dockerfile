# The one `warmup` binary in a small Debian image. Used by docker-compose.yml.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin warmup

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* && useradd --system --home /data warmup \
    && mkdir /data && chown warmup /data
COPY --from=build /src/target/release/warmup /usr/local/bin/warmup
USER warmup
WORKDIR /data
ENV WARMUP_LISTEN=0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["warmup"]
CMD ["serve"]
