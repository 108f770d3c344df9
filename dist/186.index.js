export const id = 186;
export const ids = [186];
export const modules = {

/***/ 6925:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   y: () => (/* binding */ clientConfig)
/* harmony export */ });
/* unused harmony export AWS_TIMEOUTS */
/* harmony import */ var _smithy_node_http_handler__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1279);

/** Bounds on every AWS call, so a hanging endpoint fails the step in well under two minutes, not after six hours. */
const AWS_TIMEOUTS = {
    connectionTimeoutMs: 5_000,
    // In @smithy/node-http-handler 4.x requestTimeout alone only logs a warning; throwOnRequestTimeout makes it abort.
    requestTimeoutMs: 10_000,
    maxAttempts: 3
};
/** Client settings shared by the ECS, SSM and Secrets Manager clients. */
function clientConfig(region) {
    return {
        region,
        maxAttempts: AWS_TIMEOUTS.maxAttempts,
        retryMode: 'standard',
        requestHandler: new _smithy_node_http_handler__WEBPACK_IMPORTED_MODULE_0__.NodeHttpHandler({
            connectionTimeout: AWS_TIMEOUTS.connectionTimeoutMs,
            requestTimeout: AWS_TIMEOUTS.requestTimeoutMs,
            throwOnRequestTimeout: true
        })
    };
}


/***/ }),

/***/ 8186:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSecretsManagerClient: () => (/* binding */ createSecretsManagerClient),
/* harmony export */   describeSecret: () => (/* binding */ describeSecret),
/* harmony export */   readSecret: () => (/* binding */ readSecret)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2994);
/* harmony import */ var _client_config_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6925);


function createSecretsManagerClient(region) {
    return new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_1__/* .SecretsManagerClient */ ._H((0,_client_config_js__WEBPACK_IMPORTED_MODULE_0__/* .clientConfig */ .y)(region));
}
/** Metadata only (never the value); undefined when there is no such secret. */
async function describeSecret(client, secretId) {
    try {
        const response = await client.send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_1__/* .DescribeSecretCommand */ .X5({ SecretId: secretId }));
        return { deleted: response.DeletedDate !== undefined };
    }
    catch (error) {
        if (error.name === 'ResourceNotFoundException')
            return undefined;
        throw error;
    }
}
/** The secret's value, or one JSON key of it as ECS's `…:json-key::` form selects: only for `validate-api-key`. */
async function readSecret(client, secretId, jsonKey) {
    const response = await client.send(new _aws_sdk_client_secrets_manager__WEBPACK_IMPORTED_MODULE_1__/* .GetSecretValueCommand */ .d2({ SecretId: secretId }));
    const value = response.SecretString ?? '';
    if (!jsonKey)
        return value;
    let parsed;
    try {
        parsed = JSON.parse(value);
    }
    catch {
        // JSON.parse's message quotes the text: never let the secret reach a log.
        throw new Error(`the secret is not JSON, so it has no key "${jsonKey}"`);
    }
    const field = parsed?.[jsonKey];
    return typeof field === 'string' ? field : '';
}


/***/ })

};
