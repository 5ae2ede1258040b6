// The numeric ids of DFIR-IRIS reference tables that atio writes into alerts.
//
// IRIS seeds these tables on a fresh install, in a fixed order
// (dfir-iris/iris-web source/app/post_init.py: create_safe_ioctypes,
// create_safe_tlp, create_safe_severities, create_safe_alert_status,
// create_safe_assets, create_safe_classifications over
// resources/misp.classification.taxonomy.json), so each id is the row number
// in that order. The corpus examples (shared/corpus/iris) confirm several:
// ioc types 2 aba-rtn, 4 anonymised, 20 domain, 37 filename, 141 url; tlp 2
// amber; severities 1 Unspecified, 2 Informational, 4 Medium; alert status 6
// Closed, 7 Merged; asset types 1 Account, 10 Windows - Server, 16 Windows
// Account - Local, 20 Windows Account - AD - krbtgt.
//
// An installation that was upgraded (rows added later) or edited can number
// differently; the converter options let an operator override what depends
// on that (classification, default TLP, default asset type).
#pragma once

namespace atio::convert::iris {

namespace ioc_type {
inline constexpr int kDomain = 20;       // domain
inline constexpr int kEmailDst = 25;     // email-dst
inline constexpr int kEmailSrc = 31;     // email-src
inline constexpr int kFilename = 37;     // filename
inline constexpr int kIpAny = 76;        // ip-any
inline constexpr int kIpDst = 77;        // ip-dst
inline constexpr int kIpSrc = 79;        // ip-src
inline constexpr int kMacAddress = 86;   // mac-address
inline constexpr int kMd5 = 90;          // md5
inline constexpr int kOther = 96;        // other
inline constexpr int kSha1 = 111;        // sha1
inline constexpr int kSha224 = 112;      // sha224
inline constexpr int kSha256 = 113;      // sha256
inline constexpr int kSha3_256 = 115;    // sha3-256
inline constexpr int kSha3_512 = 117;    // sha3-512
inline constexpr int kSha384 = 118;      // sha384
inline constexpr int kSha512 = 119;      // sha512
inline constexpr int kSigma = 122;       // sigma
inline constexpr int kSnort = 124;       // snort (Suricata rules share the format)
inline constexpr int kSsdeep = 125;      // ssdeep
inline constexpr int kStix2Pattern = 127;  // stix2-pattern
inline constexpr int kTlsh = 137;        // tlsh
inline constexpr int kUrl = 141;         // url
inline constexpr int kYara = 159;        // yara
}  // namespace ioc_type

namespace tlp {
inline constexpr int kRed = 1;
inline constexpr int kAmber = 2;
inline constexpr int kGreen = 3;
inline constexpr int kClear = 4;  // TLP:CLEAR, and TLP 1.0 WHITE
inline constexpr int kAmberStrict = 5;
}  // namespace tlp

namespace severity {
inline constexpr int kUnspecified = 1;
inline constexpr int kInformational = 2;
inline constexpr int kLow = 3;
inline constexpr int kMedium = 4;
inline constexpr int kHigh = 5;
inline constexpr int kCritical = 6;
}  // namespace severity

namespace alert_status {
inline constexpr int kNew = 2;
}  // namespace alert_status

namespace asset_type {
inline constexpr int kFirewall = 2;
inline constexpr int kLinuxComputer = 4;
inline constexpr int kMacComputer = 6;
inline constexpr int kWindowsComputer = 9;
inline constexpr int kRouter = 12;
inline constexpr int kVpn = 14;
}  // namespace asset_type

// "other:other", the last entry of the CERT-XLM taxonomy IRIS seeds.
inline constexpr int kClassificationOther = 36;

}  // namespace atio::convert::iris
