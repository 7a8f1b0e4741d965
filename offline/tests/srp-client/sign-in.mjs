// Signs a person in with USER_SRP_AUTH through amazon-cognito-identity-js, the SRP client
// Amplify apps use, against the endpoint given (the offline stack). Reads one JSON object on
// stdin: {endpoint, userPoolId, clientId, username, password, newPassword?}; writes one JSON
// object on stdout: {ok: true, accessToken, idToken, refreshToken} or {ok: false, code, message}
// or {ok: false, challenge}. A NEW_PASSWORD_REQUIRED challenge is answered with newPassword.
import { readFileSync } from "node:fs";
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";

const input = JSON.parse(readFileSync(0, "utf8"));
const pool = new CognitoUserPool({
  UserPoolId: input.userPoolId,
  ClientId: input.clientId,
  endpoint: input.endpoint,
});
const user = new CognitoUser({ Username: input.username, Pool: pool });
const details = new AuthenticationDetails({ Username: input.username, Password: input.password });

const done = (result) => {
  process.stdout.write(JSON.stringify(result) + "\n");
};
const callbacks = {
  onSuccess(session) {
    done({
      ok: true,
      accessToken: session.getAccessToken().getJwtToken(),
      idToken: session.getIdToken().getJwtToken(),
      refreshToken: session.getRefreshToken().getToken(),
    });
  },
  onFailure(err) {
    done({ ok: false, code: err.code ?? err.name, message: err.message });
  },
  newPasswordRequired(userAttributes) {
    if (!input.newPassword) {
      done({ ok: false, challenge: "NEW_PASSWORD_REQUIRED", userAttributes });
      return;
    }
    // Attributes the user may not change are not sent back (as Amplify's docs advise).
    delete userAttributes.email_verified;
    delete userAttributes.phone_number_verified;
    user.completeNewPasswordChallenge(input.newPassword, {}, callbacks);
  },
};
user.authenticateUser(details, callbacks);
