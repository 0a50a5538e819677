import { type TotpEnrollment, TOTP_PARAMETERS } from "@plinto/core";
import { generate } from "lean-qr";
import { toSvgSource } from "lean-qr/extras/svg";

/** The enrolment answer: secret, key URI and the URI as an SVG QR code (shown once, never cached). */
export function totpEnrollmentView(enrollment: TotpEnrollment) {
  return {
    factor_id: enrollment.factorId,
    secret: enrollment.secret,
    otpauth_uri: enrollment.uri,
    qr_svg: toSvgSource(generate(enrollment.uri), { on: "black", off: "white", pad: 4, width: 256, height: 256 }),
    ...TOTP_PARAMETERS,
  };
}
