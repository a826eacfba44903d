#include "schedule/psk.h"

#include <limits>

#include "crypto/labeled.h"

namespace mls::schedule {

Result<SecretBytes> find_psk(const PskStore& store, const PreSharedKeyID& id) {
  if (id.psktype == PSKType::external) {
    auto psk = store.external_psk(id.psk_id);
    if (!psk) return make_error(ErrorCode::unknown_psk, "no external PSK " + to_hex(id.psk_id));
    return std::move(*psk);
  }
  auto psk = store.resumption_psk(id.psk_group_id, id.psk_epoch);
  if (!psk) {
    return make_error(ErrorCode::unknown_psk, "no resumption PSK for group " +
                                                  to_hex(id.psk_group_id) + " epoch " +
                                                  std::to_string(id.psk_epoch));
  }
  return std::move(*psk);
}

void InMemoryPskStore::add_external(BytesView psk_id, SecretBytes psk) {
  auto it = external_.find(psk_id);
  if (it != external_.end()) {
    it->second = std::move(psk);
  } else {
    external_.emplace(Bytes(psk_id.begin(), psk_id.end()), std::move(psk));
  }
}

bool InMemoryPskStore::remove_external(BytesView psk_id) {
  auto it = external_.find(psk_id);
  if (it == external_.end()) return false;
  external_.erase(it);
  return true;
}

void InMemoryPskStore::add_resumption(BytesView group_id, uint64_t epoch, SecretBytes psk) {
  auto it = resumption_.find(group_id);
  if (it == resumption_.end()) {
    it = resumption_
             .emplace(Bytes(group_id.begin(), group_id.end()), std::map<uint64_t, SecretBytes>{})
             .first;
  }
  auto& epochs = it->second;
  epochs.insert_or_assign(epoch, std::move(psk));
  while (epochs.size() > max_resumption_epochs_) epochs.erase(epochs.begin());
  if (epochs.empty()) resumption_.erase(it);
}

bool InMemoryPskStore::remove_resumption(BytesView group_id, uint64_t epoch) {
  auto it = resumption_.find(group_id);
  if (it == resumption_.end() || it->second.erase(epoch) == 0) return false;
  if (it->second.empty()) resumption_.erase(it);
  return true;
}

std::optional<SecretBytes> InMemoryPskStore::external_psk(BytesView psk_id) const {
  auto it = external_.find(psk_id);
  if (it == external_.end()) return std::nullopt;
  return it->second.clone();
}

std::optional<SecretBytes> InMemoryPskStore::resumption_psk(BytesView group_id,
                                                            uint64_t epoch) const {
  auto it = resumption_.find(group_id);
  if (it == resumption_.end()) return std::nullopt;
  auto e = it->second.find(epoch);
  if (e == it->second.end()) return std::nullopt;
  return e->second.clone();
}

Result<SecretBytes> psk_secret(const crypto::CipherSuite& suite,
                               std::span<const PreSharedKeyID> ids,
                               std::span<const SecretBytes> psks) {
  if (ids.size() != psks.size()) {
    return make_error(ErrorCode::usage, std::to_string(ids.size()) + " PSK ids but " +
                                            std::to_string(psks.size()) + " PSKs");
  }
  if (ids.size() > std::numeric_limits<uint16_t>::max()) {
    return make_error(ErrorCode::usage, "more PSKs than PSKLabel.count can hold");
  }
  const size_t nh = suite.hash_size();
  const Bytes zero(nh, 0);
  // psk_secret_[0] = 0; psk_secret_[i] = Extract(psk_input_[i-1], psk_secret_[i-1]) (§8.4)
  SecretBytes secret(nh);
  const auto count = static_cast<uint16_t>(ids.size());
  for (uint16_t i = 0; i < count; ++i) {
    SecretBytes extracted = suite.kdf_extract(zero, psks[i]);
    Bytes label = codec::encode(PskLabel{ids[i], i, count});
    SecretBytes input = MLS_TRY(crypto::expand_with_label(suite, extracted, "derived psk", label,
                                                          static_cast<uint16_t>(nh)));
    secret = suite.kdf_extract(input, secret);
  }
  return secret;
}

Result<SecretBytes> psk_secret(const crypto::CipherSuite& suite,
                               std::span<const PreSharedKeyID> ids, const PskStore& store) {
  std::vector<SecretBytes> psks;
  psks.reserve(ids.size());
  for (const auto& id : ids) psks.push_back(MLS_TRY(find_psk(store, id)));
  return psk_secret(suite, ids, psks);
}

}  // namespace mls::schedule
