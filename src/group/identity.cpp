// mls::Identity: a client's signature key, credential and the KeyPackages
// it makes (RFC 9420 §5.3, §10).
#include <algorithm>
#include <ctime>

#include "crypto/random.h"
#include "group/state.h"

namespace mls {

namespace {

// GREASE (§13.5): what we send carries a few of the reserved values
// 0x0A0A, 0x1A1A, ... 0xEAEA (grease_value, messages/extension.h), so that
// peers which wrongly reject unknown values fail visibly. Receivers treat
// them like any unknown value; nothing here or elsewhere gives them special
// meaning.

// Appends one or two distinct GREASE values to `list`, chosen by two random
// bytes.
void add_grease(std::vector<uint16_t>& list, uint8_t r0, uint8_t r1) {
  const uint16_t first = grease_value(r0);
  list.push_back(first);
  if ((r1 & 1) != 0) {
    // A second value, different from the first.
    auto second = grease_value(static_cast<uint8_t>(r0 % 15 + 1 + (r1 >> 1) % 14));
    list.push_back(second);
  }
}

std::vector<uint16_t> grease_in(const std::vector<uint16_t>& list) {
  std::vector<uint16_t> out;
  for (uint16_t v : list) {
    if (is_grease(v)) out.push_back(v);
  }
  return out;
}

// A GREASE extension of type `type` with 0 to 15 random bytes of data (the
// data of a GREASE extension is the sender's choice, §13.5).
Result<Extension> grease_extension(uint16_t type, uint8_t size) {
  Bytes data = MLS_TRY(crypto::random_bytes(size % 16));
  return Extension{type, std::move(data)};
}

}  // namespace

// --- Identity ---------------------------------------------------------------------------

Result<Identity> Identity::generate(uint16_t suite_id, Credential credential) {
  auto suite = MLS_TRY(crypto::CipherSuite::get(suite_id));
  auto keys = MLS_TRY(suite.signature_generate());
  auto signer = std::make_shared<crypto::PrivateKeySigner>(suite, std::move(keys));
  return Identity(std::move(suite), std::move(signer), std::move(credential));
}

Result<Identity> Identity::from_signer(uint16_t suite_id,
                                       std::shared_ptr<const crypto::Signer> signer,
                                       Credential credential) {
  auto suite = MLS_TRY(crypto::CipherSuite::get(suite_id));
  if (!signer) return make_error(ErrorCode::usage, "null signer");
  return Identity(std::move(suite), std::move(signer), std::move(credential));
}

// What we announce to others, so with GREASE values in the four lists §13.5
// allows (never in versions). Being random, these are for sending only:
// comparing capabilities must use what the library really supports (§13.5,
// last paragraph). GREASE is a SHOULD, so a failing generator leaves the
// lists without it rather than failing here.
Capabilities Identity::capabilities() const {
  Capabilities caps;
  caps.versions = {kMls10};
  caps.cipher_suites.assign(std::begin(crypto::kAllCipherSuites),
                            std::end(crypto::kAllCipherSuites));
  caps.credentials = {static_cast<uint16_t>(CredentialType::basic),
                      static_cast<uint16_t>(CredentialType::x509)};
  if (auto r = crypto::random_bytes(8)) {
    const Bytes& b = *r;
    add_grease(caps.cipher_suites, b[0], b[1]);
    add_grease(caps.extensions, b[2], b[3]);
    add_grease(caps.proposals, b[4], b[5]);
    add_grease(caps.credentials, b[6], b[7]);
  }
  return caps;
}

Result<KeyPackageBundle> Identity::make_key_package(std::optional<Lifetime> lifetime,
                                                    bool last_resort) const {
  if (!lifetime) {
    uint64_t now = static_cast<uint64_t>(std::time(nullptr));
    lifetime = Lifetime{now - 3600, now + 90ull * 24 * 3600};
  }
  Capabilities caps = capabilities();
  const Bytes r = MLS_TRY(crypto::random_bytes(5));

  // A GREASE extension in the leaf and one in the KeyPackage (§13.5). Both
  // types must be listed in the leaf's capabilities (§7.2, §10), so they are
  // drawn from the GREASE values listed there.
  std::vector<uint16_t> listed = grease_in(caps.extensions);
  if (listed.empty()) {  // the generator failed in capabilities()
    add_grease(caps.extensions, r[0], 0);
    listed = grease_in(caps.extensions);
  }
  ExtensionList leaf_extensions;
  leaf_extensions.set(MLS_TRY(grease_extension(listed[r[1] % listed.size()], r[2])));
  ExtensionList extensions;
  extensions.set(MLS_TRY(grease_extension(listed[r[3] % listed.size()], r[4])));

  if (last_resort) {
    extensions.set(Extension{extension_type::last_resort, {}});
    // §10: a KeyPackage's extensions are listed in its leaf's capabilities.
    caps.extensions.push_back(extension_type::last_resort);
  }
  return mls::make_key_package(suite_, *signer_, credential_, std::move(caps), *lifetime,
                               std::move(leaf_extensions), std::move(extensions));
}

}  // namespace mls
