# syntax=docker/dockerfile:1
# Build a static binary (the SQLite driver is pure Go, so no cgo), then run it as a
# non-root user on a minimal base.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/placematch ./cmd/placematch
# The data folder must belong to the nonroot user (65532) that writes the SQLite file;
# a volume mounted there takes this ownership.
RUN mkdir -p /out/varlib/placematch && chmod 700 /out/varlib/placematch

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/placematch /usr/local/bin/placematch
# The embedded SQLite default writes here; PostgreSQL deployments ignore it.
COPY --from=build --chown=65532:65532 /out/varlib/ /var/lib/
WORKDIR /var/lib/placematch
ENV PLACEMATCH_ADDR=:8080 PLACEMATCH_SQLITE_PATH=/var/lib/placematch/placematch.db
USER nonroot:nonroot
EXPOSE 8080
# distroless has no shell and no curl: the binary asks its own /healthz (on the port
# of PLACEMATCH_ADDR) and exits 0 or 1. Override with --path /readyz to include the
# database.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/placematch", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/placematch"]
CMD ["serve"]
