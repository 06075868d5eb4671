# The one motcua binary, for the production topology (`motcua api`,
# `motcua worker`, `motcua migrate up`). Pure Go: SQLite is modernc's.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
COPY third_party/ third_party/
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/motcua ./cmd/motcua

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/motcua /usr/local/bin/motcua
ENV MOTCUA_DATA_DIR=/var/lib/motcua
VOLUME /var/lib/motcua
ENTRYPOINT ["/usr/local/bin/motcua"]
CMD ["api"]
