#include "atio/cti/convert/misp_categories.h"

#include <string>
#include <unordered_map>

namespace atio::convert::misp {

namespace {

// Category -> the types (comma-separated: a type name may hold a space)
// whose default it is.
constexpr std::pair<std::string_view, std::string_view> kDefaults[] = {
    {"Artifacts dropped",
     "gene,kusto-query,mime-type,mutex,named pipe,pdb,process-state,"
     "windows-scheduled-task,windows-service-displayname,"
     "windows-service-name"},
    {"Attribution",
     "campaign-id,campaign-name,dns-soa-email,threat-actor,"
     "whois-creation-date,whois-registrant-email,whois-registrant-name,"
     "whois-registrant-org,whois-registrant-phone,whois-registrar"},
    {"External analysis",
     "attachment,cortex,cpe,link,vulnerability,weakness"},
    {"Financial fraud",
     "aba-rtn,bank-account-nr,bic,bin,btc,cc-number,dash,iban,prtn,xmr"},
    {"Internal reference",
     "git-commit-id"},
    {"Network activity",
     "AS,bro,community-id,cookie,domain,domain|ip,email-dst,eppn,"
     "favicon-mmh3,hassh-md5,hasshserver-md5,hostname,hostname|port,"
     "http-method,ip-dst,ip-dst|port,ip-src,ip-src|port,ja3-fingerprint-md5,"
     "jarm-fingerprint,mac-address,mac-eui-64,pattern-in-traffic,port,snort,"
     "uri,url,user-agent,x509-fingerprint-md5,x509-fingerprint-sha1,"
     "x509-fingerprint-sha256,zeek"},
    {"Other",
     "anonymised,boolean,comment,counter,datetime,float,hex,other,"
     "size-in-bytes,text"},
    {"Payload delivery",
     "authentihash,cdhash,chrome-extension-id,email-attachment,email-body,"
     "email-dst-display-name,email-header,email-message-id,"
     "email-mime-boundary,email-reply-to,email-src,email-src-display-name,"
     "email-subject,email-thread-index,email-x-mailer,filename,"
     "filename|authentihash,filename|impfuzzy,filename|imphash,filename|md5,"
     "filename|pehash,filename|sha1,filename|sha224,filename|sha256,"
     "filename|sha3-224,filename|sha3-256,filename|sha3-384,"
     "filename|sha3-512,filename|sha384,filename|sha512,filename|sha512/224,"
     "filename|sha512/256,filename|ssdeep,filename|tlsh,filename|vhash,"
     "impfuzzy,imphash,malware-sample,malware-type,md5,"
     "mobile-application-id,pehash,sha1,sha224,sha256,sha3-224,sha3-256,"
     "sha3-384,sha3-512,sha384,sha512,sha512/224,sha512/256,ssdeep,telfhash,"
     "tlsh,vhash"},
    {"Payload installation",
     "pattern-in-file,pattern-in-memory,sigma,stix2-pattern,yara"},
    {"Persistence mechanism",
     "regkey,regkey|value"},
    {"Person",
     "country-of-residence,date-of-birth,first-name,frequent-flyer-number,"
     "gender,identity-card-number,issue-date-of-the-visa,last-name,"
     "middle-name,nationality,passenger-name-record-locator-number,"
     "passport-country,passport-expiration,passport-number,payment-details,"
     "pgp-private-key,pgp-public-key,phone-number,place-of-birth,"
     "place-port-of-clearance,place-port-of-onward-foreign-destination,"
     "place-port-of-original-embarkation,primary-residence,redress-number,"
     "special-service-request,travel-details,visa-number"},
    {"Social network",
     "email,github-organisation,github-repository,github-username,jabber-id,"
     "twitter-id"},
    {"Targeting data",
     "target-email,target-external,target-location,target-machine,"
     "target-org,target-user"},
};

const std::unordered_map<std::string_view, std::string_view>& by_type() {
  static const auto* map = [] {
    auto* m = new std::unordered_map<std::string_view, std::string_view>();
    for (const auto& [category, types] : kDefaults) {
      std::size_t start = 0;
      while (start < types.size()) {
        std::size_t end = types.find(',', start);
        if (end == std::string_view::npos) end = types.size();
        m->emplace(types.substr(start, end - start), category);
        start = end + 1;
      }
    }
    return m;
  }();
  return *map;
}

}  // namespace

std::string_view default_category(std::string_view type) {
  auto it = by_type().find(type);
  return it == by_type().end() ? std::string_view("Other") : it->second;
}

}  // namespace atio::convert::misp
