import * as pulumi from "@pulumi/pulumi";
import { Certificate } from "@pulumi/aws/acm/certificate";
import { CertificateValidation } from "@pulumi/aws/acm/certificateValidation";
import { getZoneOutput } from "@pulumi/aws/route53/getZone";
import { Record as DnsRecord } from "@pulumi/aws/route53/record";

/** A domain name for a load balancer, in a Route 53 hosted zone. */
export interface DomainArgs {
    /**
     * The name clients use.
     * @example
     * ```ts
     * { name: "api.example.com", zoneName: "example.com" }
     * ```
     */
    name: string;
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

export interface DomainCertificate {
    certificate: Certificate;
    validationRecord: DnsRecord;
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
    const certificate = new Certificate(name, { domainName: domain.name, validationMethod: "DNS", tags }, { parent });
    const option = certificate.domainValidationOptions[0];
    const validationRecord = new DnsRecord(
        `${name}-validation`,
        { zoneId, name: option.resourceRecordName, type: option.resourceRecordType, records: [option.resourceRecordValue], ttl: 300, allowOverwrite: true },
        { parent },
    );
    const validation = new CertificateValidation(name, { certificateArn: certificate.arn, validationRecordFqdns: [validationRecord.fqdn] }, { parent });
    return { certificate, validationRecord, validation, arn: validation.certificateArn };
}

/** `name` pointing at the load balancer (an alias: no charge for queries, follows its IPs). */
export function createAliasRecord(
    name: string,
    domain: DomainArgs,
    zoneId: pulumi.Output<string>,
    target: { dnsName: pulumi.Output<string>; zoneId: pulumi.Output<string> },
    parent: pulumi.Resource,
): DnsRecord {
    return new DnsRecord(
        `${name}-alias`,
        { zoneId, name: domain.name, type: "A", aliases: [{ name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true }] },
        { parent },
    );
}
