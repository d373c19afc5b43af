package io.carebus.fhir.smart;

import java.util.Map;

import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.util.HtmlUtils;

/** The server-rendered sign-in and consent page of the authorization endpoint: plain HTML, no script. */
final class LoginPage {

    private LoginPage() {
    }

    static String render(SmartClient client, AuthorizeRequest request, CsrfToken csrf, String message) {
        StringBuilder html = new StringBuilder(2048);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Carebus sign-in</title>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<style>body{font-family:sans-serif;max-width:28em;margin:3em auto}label{display:block;margin:.8em 0}")
                .append("input[type=text],input[type=password]{width:100%}.error{color:#a00}</style></head><body>\n")
                .append("<h1>Sign in</h1>\n<p><strong>").append(esc(client.name())).append("</strong> asks to use your data:</p>\n<ul>");
        for (String scope : SmartScopes.parse(request.scope()).all()) {
            html.append("<li><code>").append(esc(scope)).append("</code></li>");
        }
        html.append("</ul>\n");
        if (message != null) {
            html.append("<p class=\"error\" role=\"alert\">").append(esc(message)).append("</p>\n");
        }
        html.append("<form method=\"post\" action=\"").append(SmartUrls.AUTHORIZE).append("\">\n");
        for (Map.Entry<String, String> p : request.asParameters().entrySet()) {
            if (p.getValue() != null) {
                hidden(html, p.getKey(), p.getValue());
            }
        }
        if (csrf != null) {
            hidden(html, csrf.getParameterName(), csrf.getToken());
        }
        html.append("<label>User name <input type=\"text\" name=\"username\" autocomplete=\"username\" required></label>\n")
                .append("<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>\n")
                .append("<label>Patient id (practitioners: the patient to open; patients: leave empty) ")
                .append("<input type=\"text\" name=\"patient\" pattern=\"[A-Za-z0-9\\-.]{1,64}\"></label>\n")
                .append("<button type=\"submit\" name=\"decision\" value=\"allow\">Sign in and allow</button> ")
                .append("<button type=\"submit\" name=\"decision\" value=\"deny\" formnovalidate>Deny</button>\n")
                .append("</form>\n</body></html>\n");
        return html.toString();
    }

    static String error(String message) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Carebus sign-in</title></head><body>"
                + "<h1>This sign-in request cannot be served</h1><p>" + esc(message) + "</p></body></html>\n";
    }

    private static void hidden(StringBuilder html, String name, String value) {
        html.append("<input type=\"hidden\" name=\"").append(esc(name)).append("\" value=\"").append(esc(value)).append("\">\n");
    }

    private static String esc(String s) {
        return HtmlUtils.htmlEscape(s == null ? "" : s);
    }
}
