import * as pulumi from "@pulumi/pulumi";
import { Certificate } from "@pulumi/aws/acm/certificate";
import { CertificateValidation } from "@pulumi/aws/acm/certificateValidation";
import { getZoneOutput } from "@pulumi/aws/route53/getZone";
import { Record as DnsRecord } from "@pulumi/aws/route53/record";
import { certificateNames, validationNameOf } from "../core/aws/certificateNames";

/** A domain name for a load balancer, in a Route 53 hosted zone. */
export interface DomainArgs {
    /**
     * The name clients use: a DNS name, or a wildcard such as `*.example.com` (one level of
     * subdomains, as ACM and Route 53 take it).
     * @example
     * ```ts
     * { name: "api.example.com", zoneName: "example.com" }
     * ```
     */
    name: string;
    /**
     * More names in the same zone that the certificate covers and that point to the load balancer:
     * the hosts its listener rules route (`hostHeaders`). With `name`, at most 10 (ACM's default
     * quota per certificate).
     * @default []
     * @example
     * ```ts
     * { name: "example.com", zoneName: "example.com", alternativeNames: ["www.example.com", "*.api.example.com"] }
     * ```
     */
    alternativeNames?: string[];
    /**
     * The public hosted zone that holds `name`, by its name. Give this or `zoneId`.
     * @default none
     * @example
     * ```ts
     * { zoneName: "example.com" }
     * ```
     */
    zoneName?: string;
    /**
     * The hosted zone by ID. Give this or `zoneName`.
     * @default none
     * @example
     * ```ts
     * { zoneId: "Z0123456789ABCDEFGHIJ" }
     * ```
     */
    zoneId?: pulumi.Input<string>;
}

export function zoneIdOf(domain: DomainArgs, parent: pulumi.Resource): pulumi.Output<string> {
    return domain.zoneId !== undefined
        ? pulumi.output(domain.zoneId)
        : getZoneOutput({ name: domain.zoneName, privateZone: false }, { parent }).zoneId;
}

/** A load balancer's ACM certificate and the DNS records that validate it. */
export interface DomainCertificate {
    /** The ACM certificate of the domain (and its alternative names). */
    certificate: Certificate;
    /** The validation record of the domain's own name. */
    validationRecord: DnsRecord;
    /** Every validation record, the domain's first. */
    validationRecords: DnsRecord[];
    /** Waits until ACM has validated the certificate through those records. */
    validation: CertificateValidation;
    /** The certificate's ARN, known only once DNS validation has succeeded. */
    arn: pulumi.Output<string>;
}

/**
 * An ACM certificate for the domain, validated by a DNS record in its zone: renewed by AWS for as
 * long as the record stays, with no e-mail to click.
 */
export function createDomainCertificate(
    name: string,
    domain: DomainArgs,
    zoneId: pulumi.Output<string>,
    parent: pulumi.Resource,
    tags: Record<string, string> | undefined,
): DomainCertificate {
    const names = certificateNames(domain.name, domain.alternativeNames ?? []);
    const certificate = new Certificate(
        name,
        { domainName: names[0], subjectAlternativeNames: names.length > 1 ? names.slice(1) : undefined, validationMethod: "DNS", tags },
        { parent },
    );
    // One validation record per name, except that `*.example.com` shares the record of `example.com`.
    const validationNames = [...new Set(names.map(validationNameOf))];
    const records = validationNames.map((validationName, i) => {
        const option = certificate.domainValidationOptions.apply((options) => {
            const found = options.find((o) => validationNameOf(o.domainName) === validationName);
            if (!found) throw new Error(`ACM returned no DNS validation record for ${validationName}`);
            return found;
        });
        return new DnsRecord(
            // The first keeps the name it has always had, so existing stacks keep their record.
            i === 0 ? `${name}-validation` : `${name}-validation-${validationName}`,
            { zoneId, name: option.resourceRecordName, type: option.resourceRecordType, records: [option.resourceRecordValue], ttl: 300, allowOverwrite: true },
            { parent },
        );
    });
    const validation = new CertificateValidation(name, { certificateArn: certificate.arn, validationRecordFqdns: records.map((r) => r.fqdn) }, { parent });
    return { certificate, validationRecord: records[0], validationRecords: records, validation, arn: validation.certificateArn };
}

/**
 * The domain's name and each alternative name pointing at the load balancer (aliases: no charge for
 * queries, they follow its IPs).
 */
export function createAliasRecords(
    name: string,
    domain: DomainArgs,
    zoneId: pulumi.Output<string>,
    target: { dnsName: pulumi.Output<string>; zoneId: pulumi.Output<string> },
    parent: pulumi.Resource,
    ipv6 = false,
): DnsRecord[] {
    // A dual-stack load balancer answers IPv6 clients too: an AAAA alias beside each A alias.
    return certificateNames(domain.name, domain.alternativeNames ?? []).flatMap((host, i) =>
        (ipv6 ? (["A", "AAAA"] as const) : (["A"] as const)).map(
            (type) =>
                new DnsRecord(
                    // The domain's own record keeps the name it has always had.
                    `${i === 0 ? `${name}-alias` : `${name}-alias-${host.replace("*", "wildcard")}`}${type === "AAAA" ? "-aaaa" : ""}`,
                    { zoneId, name: host, type, aliases: [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true }] },
                    { parent },
                ),
        ),
    );
}
