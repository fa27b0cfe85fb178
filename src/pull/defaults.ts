// Pull engine defaults. Provisional until bench/ measures them (issue 7): 32 files in flight keep many
// small files moving over a link with latency (each is one request); 8 connections of 16 MiB chunks per
// large file fill a link whose per-connection speed is capped (CDNs cap a single stream far below a
// 10 Gb/s NIC), while a chunk lost to a crash costs at most 16 MiB per connection. maxRequests caps the
// Range requests in flight across all files, so 32 large files do not open 256 connections.
export const PULL_DEFAULTS = {
  maxFiles: 32,
  connections: 8,
  chunkSize: 16 * 1024 * 1024,
  maxRequests: 64,
} as const
