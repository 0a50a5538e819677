/** The one answer to every request that may send mail to an address: it never says whether the address has an account. */
export const emailAccepted = {
  status: "accepted" as const,
  message: "If an account exists for this address, an email is on its way.",
};
