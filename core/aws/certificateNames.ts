/**
 * The names an ACM certificate for a load balancer covers, and the Route 53 records that point them
 * at it: AWS's rules for them.
 *
 * - ACM: a wildcard is only `*` as the whole leftmost label (`*.example.com`); the first name (the
 *   certificate's domain name) is at most 64 characters, every other name at most 253
 *   (https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html).
 * - ACM: 10 names per certificate by default, an adjustable quota
 *   (https://docs.aws.amazon.com/acm/latest/userguide/acm-limits.html).
 * - Route 53: a record belongs in the zone whose name it ends with; `*` as the leftmost label makes
 *   a wildcard record (https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html).
 * - ACM gives `*.example.com` and `example.com` the same DNS validation record.
 */

export const ACM_RULES = {
    namesPerCertificate: 10,
    firstNameMaxLength: 64,
    nameMaxLength: 253,
    quotaSource: "https://docs.aws.amazon.com/acm/latest/userguide/acm-limits.html",
    nameSource: "https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html",
} as const;

const LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";
const NAME = new RegExp(`^(\\*\\.)?(${LABEL}\\.)+[a-z]{2,63}$`);

/** Whether ACM and Route 53 take `name`: a lower-case DNS name, optionally `*.` and a DNS name. */
export function isCertificateName(name: string): boolean {
    return name.length <= ACM_RULES.nameMaxLength && NAME.test(name);
}

/** Whether `name` lies in the zone `zone` (the zone's apex included). */
export function isInZone(name: string, zone: string): boolean {
    const z = zone.replace(/\.$/, "").toLowerCase();
    const n = name.replace(/\.$/, "").toLowerCase();
    return n === z || n.endsWith(`.${z}`);
}

/** `*.example.com` → `example.com`: the name whose DNS validation record a wildcard shares. */
export function validationNameOf(name: string): string {
    return name.startsWith("*.") ? name.slice(2) : name;
}

/** The certificate's names: the domain first, then each other host once, lower-cased, in order. */
export function certificateNames(domainName: string, hosts: readonly string[]): string[] {
    return [...new Set([domainName, ...hosts].map((h) => h.toLowerCase()))];
}

export interface NameProblem {
    /** Which host (an index into `hosts`), or undefined for the domain or the whole certificate. */
    host?: number;
    message: string;
}

/**
 * What AWS would refuse in a certificate for `domainName` and `hosts`, with records in `zoneName`
 * (when known; with a zone ID only, Route 53 checks at deploy). `zoneKey` names the zone's key in messages.
 */
export function certificateNameProblems(domainName: string, hosts: readonly string[], zoneName: string | undefined, zoneKey = "domain.zoneName"): NameProblem[] {
    const problems: NameProblem[] = [];
    if (domainName.length > ACM_RULES.firstNameMaxLength) {
        problems.push({ message: `"${domainName}" is ${domainName.length} characters: ACM takes at most ${ACM_RULES.firstNameMaxLength} in a certificate's domain name (${ACM_RULES.nameSource})` });
    }
    hosts.forEach((host, i) => {
        const lower = host.toLowerCase();
        if (!isCertificateName(lower)) {
            problems.push({
                host: i,
                message: `"${host}" cannot be on a certificate: ACM and Route 53 take a DNS name, or "*." and a DNS name (the wildcard only as the whole first label); host conditions with other wildcards need a certificate of your own (loadBalancer.certificateArn instead of domain)`,
            });
        } else if (zoneName && !isInZone(lower, zoneName)) {
            problems.push({ host: i, message: `"${host}" is not in the Route 53 zone ${zoneName} (${zoneKey}): the certificate is validated and the name pointed at the load balancer in that zone; route hosts under ${zoneName} only` });
        }
    });
    const names = certificateNames(domainName, hosts);
    if (names.length > ACM_RULES.namesPerCertificate) {
        problems.push({
            message: `the certificate would need ${names.length} names (domain.name and every host the listener rules route): ACM allows ${ACM_RULES.namesPerCertificate} per certificate by default (${ACM_RULES.quotaSource}); use a wildcard such as "*.${zoneName ?? "example.com"}" for several hosts, or fewer hosts`,
        });
    }
    return problems;
}
