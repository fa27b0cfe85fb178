// Pull engine defaults. Provisional until bench/ measures them (issue 7): 8 files in flight keeps many
// small files moving; 8 connections of 16 MiB chunks per large file fill a link whose per-connection
// speed is capped (CDNs cap a single stream far below a 10 Gb/s NIC), while a chunk lost to a crash
// costs at most 16 MiB per connection.
export const PULL_DEFAULTS = {
  maxFiles: 8,
  connections: 8,
  chunkSize: 16 * 1024 * 1024,
} as const
