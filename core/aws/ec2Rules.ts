/**
 * EC2's rule for the free text of security groups and their rules. The mock engine accepts any
 * string; EC2 answers `InvalidParameterValue` and the whole deploy stops.
 *
 * Source: EC2 API reference, CreateSecurityGroup `GroupDescription` and IpRange / Ipv6Range /
 * UserIdGroupPair `Description` ("Up to 255 characters in length. Allowed characters are a-z,
 * A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*"):
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpRange.html
 */

export const EC2_DESCRIPTION_RULE = {
    maxLength: 255,
    /** Every character EC2 allows; anything else (an apostrophe, a quote, a non-ASCII letter) is refused. */
    allowedCharacters: "a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*",
    source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
} as const;

const ALLOWED = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/;
const DISALLOWED = /[^a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/g;

/**
 * Why EC2 would refuse `text` as a security group description or a security group rule
 * description, or undefined when it accepts it. A group description must also be non-empty.
 */
// Stryker disable next-line StringLiteral: equivalent, only "group" is told apart
export function ec2DescriptionProblem(text: string, kind: "group" | "rule" = "rule"): string | undefined {
    if (kind === "group" && text.length === 0) return "is empty: EC2 requires a security group description";
    if (text.length > EC2_DESCRIPTION_RULE.maxLength) return `is ${text.length} characters long: EC2 allows at most ${EC2_DESCRIPTION_RULE.maxLength}`;
    if (!ALLOWED.test(text)) {
        // Stryker disable next-line ArrayDeclaration: unreachable, text that fails ALLOWED has a DISALLOWED character
        const bad = [...new Set(text.match(DISALLOWED) ?? [])].map((c) => JSON.stringify(c)).join(", ");
        return `contains ${bad}: EC2 allows only ${EC2_DESCRIPTION_RULE.allowedCharacters} (${EC2_DESCRIPTION_RULE.source})`;
    }
    return undefined;
}

/**
 * `text` made acceptable to EC2, for descriptions that embed a name chosen elsewhere (a
 * component's name may hold any character): every refused character becomes `-`, and the result
 * is cut to 255 characters. A description is for people reading the console, so a replaced
 * character loses nothing a deploy needs.
 */
export function ec2Description(text: string): string {
    return text.replace(DISALLOWED, "-").slice(0, EC2_DESCRIPTION_RULE.maxLength);
}
