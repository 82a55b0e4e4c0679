import * as assert from "node:assert/strict";
import { ADMIN_MANAGED_POLICIES, adminManagedPolicy, isEveryAction } from "../core/adminPolicies";
import { ACM_RULES, certificateNameProblems, certificateNames, isCertificateName, isInZone, validationNameOf } from "../core/aws/certificateNames";
import { EC2_DESCRIPTION_RULE, ec2Description, ec2DescriptionProblem } from "../core/aws/ec2Rules";
import { defaultAllowedCidrs, ipAddressTypeProblem } from "../core/aws/loadBalancerAddresses";
import { accessLogsBucketPolicy } from "../core/bucketPolicies";

/** AWS's own rules kept in core/aws/ and the policies built from them, read through their messages and documents. */

describe("AWS rules and documents", () => {
    describe("the access-log bucket policy", () => {
        it("lets the regional ELB account and the log delivery service write under AWSLogs/<account>/ only, and denies plain HTTP", () => {
            assert.deepEqual(accessLogsBucketPolicy("arn:aws:s3:::logs", "", { accountId: "111122223333", region: "us-east-1", partition: "aws" }), {
                Version: "2012-10-17",
                Statement: [
                    { Sid: "ElbAccountDelivers", Effect: "Allow", Principal: { AWS: "arn:aws:iam::127311923021:root" }, Action: ["s3:PutObject"], Resource: ["arn:aws:s3:::logs/AWSLogs/111122223333/*"] },
                    {
                        Sid: "ElbServiceDelivers",
                        Effect: "Allow",
                        Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                        Action: ["s3:PutObject"],
                        Resource: ["arn:aws:s3:::logs/AWSLogs/111122223333/*"],
                        Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
                    },
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: ["s3:*"],
                        Resource: ["arn:aws:s3:::logs", "arn:aws:s3:::logs/*"],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            });
        });

        it("lets the log delivery service alone write in a Region without an ELB account", () => {
            const statements = accessLogsBucketPolicy("arn:aws-cn:s3:::logs", "", { accountId: "111122223333", region: "me-central-1", partition: "aws" }).Statement;
            assert.deepEqual(statements.map((s) => s.Sid), ["ElbServiceDelivers", "DenyInsecureTransport"]);
            assert.deepEqual(
                accessLogsBucketPolicy("arn:aws-cn:s3:::logs", "", { accountId: "111122223333", region: "cn-north-1", partition: "aws-cn" }).Statement[0].Principal,
                { AWS: "arn:aws-cn:iam::638102146993:root" },
            );
        });

        it("puts a prefix before AWSLogs/", () => {
            const [, service] = accessLogsBucketPolicy("arn:aws:s3:::logs", "web/prod", { accountId: "111122223333", region: "us-east-1", partition: "aws" }).Statement;
            assert.deepEqual(service.Resource, ["arn:aws:s3:::logs/web/prod/AWSLogs/111122223333/*"]);
        });
    });

    describe("administrator policies", () => {
        it("names each AWS managed administrator policy, in any partition, and nothing that is not an ARN", () => {
            for (const name of ADMIN_MANAGED_POLICIES) assert.equal(adminManagedPolicy(`arn:aws-cn:iam::aws:policy/${name}`), name);
            assert.equal(adminManagedPolicy(42), undefined);
            assert.equal(adminManagedPolicy("AdministratorAccess"), undefined);
            assert.equal(adminManagedPolicy("arn:aws:s3:::aws/policy/AdministratorAccess"), undefined, "another service");
            assert.equal(adminManagedPolicy("arn:aws:iam::aws:policy/ReadOnlyAccess"), undefined);
            assert.equal(adminManagedPolicy("arn:aws:iam::123456789012:policy/AdministratorAccess"), undefined, "a customer policy of that name is judged by its document");
        });

        it('sees every action of every service in "*" and "*:*" only', () => {
            assert.equal(isEveryAction("*"), true);
            assert.equal(isEveryAction("*:*"), true);
            for (const action of ["s3:*", "*:Get*", "iam:*", ["*"], undefined]) assert.equal(isEveryAction(action), false, String(action));
        });
    });

    describe("certificate names", () => {
        it(`refuse a domain name over ${ACM_RULES.firstNameMaxLength} characters, and take one of exactly that many`, () => {
            const at = `${"a".repeat(60)}.com`;
            assert.deepEqual(certificateNameProblems(at, [], undefined), []);
            assert.deepEqual(certificateNameProblems(`a${at}`, [], undefined), [
                { message: `"a${at}" is 65 characters: ACM takes at most 64 in a certificate's domain name (${ACM_RULES.nameSource})` },
            ]);
        });

        it("say which host is not a DNS name or not in the zone, naming the zone's key", () => {
            assert.deepEqual(certificateNameProblems("example.com", ["api.example.com", "x.example.org", "Bad_Host"], "example.com", "fargate-service:domain.zoneName"), [
                {
                    host: 1,
                    message: '"x.example.org" is not in the Route 53 zone example.com (fargate-service:domain.zoneName): the certificate is validated and the name pointed at the load balancer in that zone; route hosts under example.com only',
                },
                {
                    host: 2,
                    message: '"Bad_Host" cannot be on a certificate: ACM and Route 53 take a DNS name, or "*." and a DNS name (the wildcard only as the whole first label); host conditions with other wildcards need a certificate of your own (loadBalancer.certificateArn instead of domain)',
                },
            ]);
            assert.deepEqual(certificateNameProblems("example.com", ["x.example.org"], undefined), [], "without a zone name Route 53 checks at deploy");
            assert.match(certificateNameProblems("example.com", ["x.example.org"], "example.com")[0].message, / \(domain\.zoneName\): /, "the stack file's key by default");
        });

        it(`count the domain and each host once against ACM's ${ACM_RULES.namesPerCertificate} names`, () => {
            const hosts = (n: number) => Array.from({ length: n }, (_, i) => `h${i}.example.com`);
            assert.deepEqual(certificateNameProblems("example.com", [...hosts(9), "H0.example.com", "example.com"], "example.com"), []);
            assert.deepEqual(certificateNameProblems("example.com", hosts(10), undefined), [
                {
                    message: `the certificate would need 11 names (domain.name and every host the listener rules route): ACM allows 10 per certificate by default (${ACM_RULES.quotaSource}); use a wildcard such as "*.example.com" for several hosts, or fewer hosts`,
                },
            ]);
            assert.match(certificateNameProblems("corp.example", hosts(10).map((h) => h.replace("example.com", "corp.example")), "corp.example")[0].message, /"\*\.corp\.example"/);
            assert.deepEqual(certificateNames("Example.com", ["API.example.com", "api.example.com"]), ["example.com", "api.example.com"]);
        });

        it("compare zones without case or a final dot, and only at a label boundary", () => {
            assert.equal(isInZone("API.Example.com.", "example.com."), true);
            assert.equal(isInZone("example.com", "Example.com"), true, "the apex");
            assert.equal(isInZone("badexample.com", "example.com"), false);
            assert.equal(validationNameOf("*.example.com"), "example.com");
            assert.equal(validationNameOf("api.example.com"), "api.example.com");
            assert.equal(isCertificateName(`${"a.".repeat(126)}com`), false, "255 characters");
            assert.equal(isCertificateName(`${"a.".repeat(125)}com`), true, "253 characters");
        });
    });

    describe("EC2 descriptions", () => {
        it("allow an empty rule description but not an empty group description, and at most 255 characters", () => {
            assert.equal(ec2DescriptionProblem(""), undefined);
            assert.equal(ec2DescriptionProblem("", "group"), "is empty: EC2 requires a security group description");
            assert.equal(ec2DescriptionProblem("x".repeat(255), "group"), undefined);
            assert.equal(ec2DescriptionProblem("x".repeat(256)), "is 256 characters long: EC2 allows at most 255");
        });

        it("list each refused character once", () => {
            assert.equal(ec2DescriptionProblem(`it's "q" it's`), `contains "'", "\\"": EC2 allows only ${EC2_DESCRIPTION_RULE.allowedCharacters} (${EC2_DESCRIPTION_RULE.source})`);
        });

        it("replace refused characters with - and cut to 255", () => {
            assert.equal(ec2Description("it's é"), "it-s -");
            assert.equal(ec2Description("x".repeat(300)), "x".repeat(255));
        });
    });

    describe("load balancer addresses", () => {
        it("keep an internal load balancer on IPv4", () => {
            assert.equal(ipAddressTypeProblem("dualstack", true), '"dualstack" is for internet-facing load balancers: an internal one must use "ipv4"');
            assert.equal(ipAddressTypeProblem("dualstack", false), undefined);
            assert.equal(ipAddressTypeProblem("ipv4", true), undefined);
            assert.equal(ipAddressTypeProblem(undefined, true), undefined);
        });

        it("admit IPv6 by default only with IPv6 addresses", () => {
            assert.deepEqual(defaultAllowedCidrs(undefined), ["0.0.0.0/0"]);
            assert.deepEqual(defaultAllowedCidrs("ipv4"), ["0.0.0.0/0"]);
            assert.deepEqual(defaultAllowedCidrs("dualstack"), ["0.0.0.0/0", "::/0"]);
        });
    });
});
