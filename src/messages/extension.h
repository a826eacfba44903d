// Extensions (RFC 9420 §13) and the types the RFC defines (§17.3).
#pragma once

#include <optional>
#include <vector>

#include "codec/codec.h"

namespace mls {

// uint16 ExtensionType; unknown values are carried through unchanged.
using ExtensionType = uint16_t;
namespace extension_type {
inline constexpr ExtensionType application_id = 0x0001;
inline constexpr ExtensionType ratchet_tree = 0x0002;
inline constexpr ExtensionType required_capabilities = 0x0003;
inline constexpr ExtensionType external_pub = 0x0004;
inline constexpr ExtensionType external_senders = 0x0005;
// A KeyPackage that may be used more than once (the IANA MLS Extension Types
// registry, from draft-ietf-mls-extensions; RFC 9420 §16.8 "last resort").
inline constexpr ExtensionType last_resort = 0x000A;
// The default extension types, which capabilities MUST NOT list (§7.2).
constexpr bool is_default(ExtensionType t) { return t >= 0x0001 && t <= 0x0005; }
}  // namespace extension_type

// GREASE values (§13.5): 0x0A0A, 0x1A1A, ... 0xEAEA, usable for every
// registry; receivers ignore them like any unknown value.
constexpr bool is_grease(uint16_t v) {
  return (v & 0x0f0f) == 0x0a0a && (v >> 12) == ((v >> 4) & 0x0f) && (v >> 12) != 0xf;
}
// One of the 15 GREASE values, picked by a random byte `r`.
constexpr uint16_t grease_value(uint8_t r) {
  auto n = static_cast<uint16_t>(r % 15);  // 0x0..0xE; 0xFAFA is private use
  return static_cast<uint16_t>((n << 12) | (n << 4) | 0x0a0a);
}
static_assert(is_grease(grease_value(0)) && is_grease(grease_value(14)) &&
              grease_value(14) == 0xeaea && grease_value(15) == 0x0a0a);

// struct {
//     ExtensionType extension_type;
//     opaque extension_data<V>;
// } Extension;                                                    (§7.2)
struct Extension {
  ExtensionType extension_type = 0;
  Bytes extension_data;
  static constexpr auto tls_fields() {
    return std::tuple{&Extension::extension_type, &Extension::extension_data};
  }
  bool operator==(const Extension&) const = default;
};

// Extension extensions<V>, with look-up by type.
struct ExtensionList {
  std::vector<Extension> entries;

  const Extension* find(ExtensionType type) const {
    for (const auto& e : entries) {
      if (e.extension_type == type) return &e;
    }
    return nullptr;
  }
  bool has(ExtensionType type) const { return find(type) != nullptr; }
  // Replaces an extension of the same type, or appends one.
  void set(Extension ext) {
    for (auto& e : entries) {
      if (e.extension_type == ext.extension_type) {
        e = std::move(ext);
        return;
      }
    }
    entries.push_back(std::move(ext));
  }
  // Decodes the data of an extension of `type` as T; nullopt when absent.
  template <typename T>
  Result<std::optional<T>> get(ExtensionType type) const {
    const Extension* e = find(type);
    if (e == nullptr) return std::optional<T>();
    T value = MLS_TRY(codec::decode_all<T>(e->extension_data));
    return std::optional<T>(std::move(value));
  }
  // A list MUST NOT hold two extensions of one type (§13.4 for GroupContext,
  // and likewise for LeafNode, KeyPackage and GroupInfo).
  bool has_duplicates() const {
    for (size_t i = 0; i < entries.size(); ++i) {
      for (size_t j = i + 1; j < entries.size(); ++j) {
        if (entries[i].extension_type == entries[j].extension_type) return true;
      }
    }
    return false;
  }

  void tls_encode(codec::Writer& w) const { codec::encode(w, entries); }
  static Status tls_decode(codec::Reader& r, ExtensionList& out) {
    return codec::decode(r, out.entries);
  }
  bool operator==(const ExtensionList&) const = default;
};

}  // namespace mls
