export const id = 332;
export const ids = [332];
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

/***/ 8332:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createSsmClient: () => (/* binding */ createSsmClient),
/* harmony export */   describeParameter: () => (/* binding */ describeParameter),
/* harmony export */   readParameter: () => (/* binding */ readParameter)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4736);
/* harmony import */ var _client_config_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6925);


function createSsmClient(region) {
    return new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__/* .SSMClient */ .jBj((0,_client_config_js__WEBPACK_IMPORTED_MODULE_0__/* .clientConfig */ .y)(region));
}
/** Metadata only (never the value): the parameter's type, or undefined when there is no such parameter. */
async function describeParameter(client, name) {
    const response = await client.send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__/* .DescribeParametersCommand */ .$hz({
        ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }],
        MaxResults: 1
    }));
    const parameter = response.Parameters?.[0];
    return parameter ? { ...(parameter.Type ? { type: parameter.Type } : {}) } : undefined;
}
/** The decrypted value: only for `validate-api-key`, which has to send the key to Datadog. */
async function readParameter(client, name) {
    const response = await client.send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_1__/* .GetParameterCommand */ .lhy({ Name: name, WithDecryption: true }));
    return response.Parameter?.Value ?? '';
}


/***/ })

};
