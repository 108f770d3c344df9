export const id = 32;
export const ids = [32];
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

/***/ 1032:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   createEcsClient: () => (/* binding */ createEcsClient),
/* harmony export */   registerTaskDefinition: () => (/* binding */ registerTaskDefinition)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(212);
/* harmony import */ var _client_config_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6925);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9378);



/** Registers the definition (its tags included) and returns the new revision's ARN. One call; the SDK retries. */
async function registerTaskDefinition(client, taskDefinition, region, file) {
    const roles = [taskDefinition.taskRoleArn, taskDefinition.executionRoleArn].filter(Boolean).join(' and ');
    try {
        const response = await client.send(new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__/* .RegisterTaskDefinitionCommand */ .$Hl(taskDefinition));
        const arn = response.taskDefinition?.taskDefinitionArn;
        if (!arn)
            throw new Error('RegisterTaskDefinition answered without a taskDefinitionArn');
        return arn;
    }
    catch (error) {
        throw (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .describeAwsError */ .Pp)(error, {
            action: 'ecs:RegisterTaskDefinition',
            endpoint: (0,_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .endpointFor */ .Lo)('ecs', region),
            region,
            accessHint: `it also needs iam:PassRole on ${roles || 'the task and execution roles'}.`,
            rejectionHint: `ECS's own words are above; the definition it was given is ${file}.`
        });
    }
}
function createEcsClient(region) {
    return new _aws_sdk_client_ecs__WEBPACK_IMPORTED_MODULE_2__/* .ECSClient */ .Zgc((0,_client_config_js__WEBPACK_IMPORTED_MODULE_0__/* .clientConfig */ .y)(region));
}


/***/ })

};
