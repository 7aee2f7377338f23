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

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/placematch /usr/local/bin/placematch
# The embedded SQLite default writes here; PostgreSQL deployments ignore it.
WORKDIR /var/lib/placematch
ENV PLACEMATCH_ADDR=:8080 PLACEMATCH_SQLITE_PATH=/var/lib/placematch/placematch.db
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/placematch"]
CMD ["serve"]
