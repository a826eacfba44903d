// Pre-shared keys (RFC 9420 §8.4): the psk_secret chain, and the store an
// application fills with the PSKs it holds.
//
// PreSharedKeyID itself lives in messages/psk_id.h, below this layer, since
// the PreSharedKey proposal (§12.1.4) and GroupSecrets (§12.4.3.1) carry it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <span>

#include "codec/codec.h"
#include "crypto/cipher_suite.h"
#include "messages/psk_id.h"
#include "mls/bytes.h"
#include "mls/error.h"

namespace mls::schedule {

// struct {
//     PreSharedKeyID id;
//     uint16 index;
//     uint16 count;
// } PSKLabel;                                                        (§8.4)
struct PskLabel {
  PreSharedKeyID id;
  uint16_t index = 0;
  uint16_t count = 0;
  static constexpr auto tls_fields() {
    return std::tuple{&PskLabel::id, &PskLabel::index, &PskLabel::count};
  }
  bool operator==(const PskLabel&) const = default;
};

// Where the PSKs a client holds come from. The application fills it: external
// PSKs by their psk_id, and the resumption_psk of past epochs by group and
// epoch (§8.6; the group layer records its own epochs there).
class PskStore {
 public:
  virtual ~PskStore() = default;
  // nullopt when the PSK is not held.
  virtual std::optional<SecretBytes> external_psk(BytesView psk_id) const = 0;
  virtual std::optional<SecretBytes> resumption_psk(BytesView group_id, uint64_t epoch) const = 0;
};

// The PSK an identifier names; unknown_psk when the store does not hold it.
[[nodiscard]] Result<SecretBytes> find_psk(const PskStore& store, const PreSharedKeyID& id);

// A PskStore in memory. The RFC asks for a bound on how many past epochs'
// resumption PSKs are kept (§8.6): adding one beyond `max_resumption_epochs`
// for a group drops that group's oldest.
class InMemoryPskStore final : public PskStore {
 public:
  explicit InMemoryPskStore(size_t max_resumption_epochs = 16)
      : max_resumption_epochs_(max_resumption_epochs) {}

  void add_external(BytesView psk_id, SecretBytes psk);
  bool remove_external(BytesView psk_id);
  void add_resumption(BytesView group_id, uint64_t epoch, SecretBytes psk);
  bool remove_resumption(BytesView group_id, uint64_t epoch);

  std::optional<SecretBytes> external_psk(BytesView psk_id) const override;
  std::optional<SecretBytes> resumption_psk(BytesView group_id, uint64_t epoch) const override;

 private:
  // Orders byte strings, so a BytesView finds a Bytes key without a copy.
  struct BytesLess {
    using is_transparent = void;
    bool operator()(BytesView a, BytesView b) const {
      return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
    }
  };

  size_t max_resumption_epochs_;
  std::map<Bytes, SecretBytes, BytesLess> external_;
  std::map<Bytes, std::map<uint64_t, SecretBytes>, BytesLess> resumption_;
};

// psk_secret over PSKs in the order the Commit or GroupSecrets lists them
// (§8.4): the all-zero vector of KDF.Nh bytes when there are none.
// `ids` and `psks` pair up by position; usage error if their sizes differ or
// there are more than 65535 (PSKLabel.count is a uint16).
[[nodiscard]] Result<SecretBytes> psk_secret(const crypto::CipherSuite& suite,
                                             std::span<const PreSharedKeyID> ids,
                                             std::span<const SecretBytes> psks);

// The same, taking each PSK from `store`; unknown_psk for one it lacks.
[[nodiscard]] Result<SecretBytes> psk_secret(const crypto::CipherSuite& suite,
                                             std::span<const PreSharedKeyID> ids,
                                             const PskStore& store);

}  // namespace mls::schedule
