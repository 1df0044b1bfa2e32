package com.helpdeskconnect.sandbox;

import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * What the site answers for anything that is not a service, including a token request sent to the
 * site instead of the identity service: Creatio's login page, 200 text/html (docs/creatio-api.md §1).
 */
final class SiteLoginPage implements Handler {
    static final String HTML = """
            <!DOCTYPE html>
            <html>
            <head><meta charset="utf-8"><title>Creatio</title></head>
            <body class="login-page">
            <form id="loginForm" action="/ServiceModel/AuthService.svc/Login" method="post">
            <input id="loginEdit-el" name="UserName" type="text"/>
            <input id="passwordEdit-el" name="UserPassword" type="password"/>
            <button id="t-comp14-textEl" type="submit">Log in</button>
            </form>
            </body>
            </html>
            """;

    @Override
    public void handle(Context ctx) {
        ctx.status(200).contentType("text/html; charset=utf-8").result(HTML);
    }
}
