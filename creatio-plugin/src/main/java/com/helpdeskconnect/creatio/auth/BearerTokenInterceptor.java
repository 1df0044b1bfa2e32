package com.helpdeskconnect.creatio.auth;

import com.helpdeskconnect.api.errors.ConnectorException;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/** Adds the integration's bearer token to every OData request. */
public final class BearerTokenInterceptor implements Interceptor {
    private final TokenProvider tokens;

    public BearerTokenInterceptor(TokenProvider tokens) {
        this.tokens = tokens;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        String token;
        try {
            token = tokens.token();
        } catch (ConnectorException e) {
            throw new TokenUnavailableException(e);
        }
        return chain.proceed(chain.request().newBuilder().header("Authorization", "Bearer " + token).build());
    }
}
