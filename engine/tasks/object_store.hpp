// ObjectStore: where a run's S3 buckets live — a folder (`--s3-root DIR`: bucket B is DIR/B,
// key K the file DIR/B/K) or an S3-compatible server (`--s3-endpoint URL`, SigV4-signed,
// path-style). What ItemReader, ResultWriter and the `aws-sdk:s3:*` Task calls read and write.
// Every call is a coroutine on the caller's io_context and honours its cancellation.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/system/result.hpp>

namespace flowstate::tasks {

/// A refused or failed S3 call, as S3 names it: `code` is S3's error code ("NoSuchKey",
/// "NoSuchBucket", "AccessDenied", "InvalidArgument", ...; "NetworkingError" when the server
/// could not be reached), `message` one line for a cause.
struct ObjectStoreError {
  std::string code;
  std::string message;
  unsigned http_status = 0;  ///< S3's status for it (404 for NoSuchKey), 0 when none came
};

template <typename T>
using ObjectResult = boost::system::result<T, ObjectStoreError>;

/// One object, as ListObjectsV2 and HeadObject describe it.
struct ObjectInfo {
  std::string key;
  std::string etag;  ///< with S3's quotes: "\"9b2cf535f27731c974343645a3985328\""
  std::uint64_t size = 0;
  std::chrono::system_clock::time_point last_modified;
  std::string storage_class = "STANDARD";
  std::string content_type;  ///< HeadObject/GetObject only; "" when unknown
};

struct ListObjectsRequest {
  std::string bucket;
  std::string prefix;
  std::string delimiter;           ///< "" → none
  std::string continuation_token;  ///< "" → from the start
  std::string start_after;         ///< "" → none
  std::size_t max_keys = 1000;     ///< S3 never returns more than 1,000 a page
};

struct ObjectListing {
  std::vector<ObjectInfo> contents;          ///< in key order (UTF-8 binary order)
  std::vector<std::string> common_prefixes;  ///< with a delimiter
  bool is_truncated = false;
  std::string next_continuation_token;       ///< when truncated
};

/// An object read front to back in pieces, so that a large object is never held whole.
class ObjectReader {
 public:
  virtual ~ObjectReader() = default;
  /// The object's description (its size and ETag as of the read).
  virtual const ObjectInfo& info() const = 0;
  /// The next piece of the object, at most `max_bytes` long; empty at the end.
  virtual boost::asio::awaitable<ObjectResult<std::string>> read_some(std::size_t max_bytes) = 0;
};

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  /// Opens `bucket`/`key` for reading (NoSuchBucket, NoSuchKey).
  virtual boost::asio::awaitable<ObjectResult<std::unique_ptr<ObjectReader>>> open(
      std::string bucket, std::string key) = 0;
  virtual boost::asio::awaitable<ObjectResult<ObjectInfo>> head(std::string bucket, std::string key) = 0;
  /// Writes the whole object (replacing one that exists) and describes what was written.
  virtual boost::asio::awaitable<ObjectResult<ObjectInfo>> put(std::string bucket, std::string key,
                                                               std::string body,
                                                               std::string content_type) = 0;
  virtual boost::asio::awaitable<ObjectResult<ObjectListing>> list(ListObjectsRequest request) = 0;
  virtual boost::asio::awaitable<ObjectResult<ObjectInfo>> copy(std::string source_bucket,
                                                                std::string source_key,
                                                                std::string bucket,
                                                                std::string key) = 0;
  /// Deleting a key that does not exist succeeds, as on S3.
  virtual boost::asio::awaitable<ObjectResult<void>> erase(std::string bucket, std::string key) = 0;
};

}  // namespace flowstate::tasks
