// TempDir: a fresh directory under $TMPDIR (else /dev/shm when it is a roomy tmpfs, else
// /tmp), removed with everything in it when the object dies. Not thread-safe; one per test.
#ifndef ROSTERSYNC_TESTS_SUPPORT_TEMP_DIR_H_
#define ROSTERSYNC_TESTS_SUPPORT_TEMP_DIR_H_

#include <string>

namespace rostersync::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }
  // Writes `content` to File(name) and returns that path. Aborts the test on failure.
  std::string Write(const std::string& name, const std::string& content) const;
  static std::string Read(const std::string& path);  // "" if unreadable

 private:
  std::string path_;
};

}  // namespace rostersync::testing

#endif  // ROSTERSYNC_TESTS_SUPPORT_TEMP_DIR_H_
