//! Every selector answers degenerate data with a typed error, never a panic.

use nalgebra::DMatrix;

use crate::{
    theory_bandwidths, CvShape, Lcv, Lscv, Method, ReferenceModel, Rule, RuleOfThumb, SelectError,
    Variant,
};

/// Run one selector through its own public entry point.
fn run(method: Method, data: &DMatrix<f64>) -> Result<(), SelectError> {
    match method {
        Method::RuleOfThumb { rule, variant } => {
            RuleOfThumb::new(rule, variant).select(data).map(drop)
        }
        Method::Lcv { shape } => Lcv::new().shape(shape).select(data).map(drop),
        Method::Lscv { shape } => Lscv::new().shape(shape).select(data).map(drop),
        Method::KlLeading => ReferenceModel::new(data, Variant::Full)?.h_kl().map(drop),
        Method::KlFinite => theory_bandwidths(data, Variant::Full).map(drop),
    }
}

/// Whether the selector needs the full sample covariance.
fn needs_full_covariance(method: Method) -> bool {
    matches!(
        method,
        Method::RuleOfThumb {
            variant: Variant::Full,
            ..
        } | Method::Lcv {
            shape: CvShape::Covariance
        } | Method::Lscv {
            shape: CvShape::Covariance
        } | Method::KlLeading
            | Method::KlFinite
    )
}

/// Points on a smooth curve, no two equal (so that cross-validation has an optimum).
fn spread(n: usize, d: usize) -> DMatrix<f64> {
    DMatrix::from_fn(n, d, |i, j| {
        (i as f64 * (0.618_034 + 0.113 * j as f64)).fract() + 0.01 * (i * j) as f64
    })
}

#[test]
fn every_selector_rejects_degenerate_data_with_a_typed_error() {
    let single = DMatrix::from_element(1, 3, 0.5);
    let same = DMatrix::from_element(12, 3, 0.5);
    let mut nan = spread(12, 3);
    nan[(4, 1)] = f64::NAN;
    let empty_dim = DMatrix::<f64>::zeros(10, 0);
    for method in Method::all() {
        assert_eq!(
            run(method, &single),
            Err(SelectError::TooFewPoints { n: 1 }),
            "{method}"
        );
        assert_eq!(
            run(method, &same),
            Err(SelectError::AllPointsEqual),
            "{method}"
        );
        assert_eq!(
            run(method, &nan),
            Err(SelectError::NonFiniteData { row: 4, col: 1 }),
            "{method}"
        );
        assert_eq!(
            run(method, &empty_dim),
            Err(SelectError::ZeroDimension),
            "{method}"
        );
    }
}

#[test]
fn full_covariance_selectors_explain_what_to_use_instead() {
    // n <= d: a full covariance is singular.
    let wide = spread(6, 9);
    for method in Method::all() {
        let result = run(method, &wide);
        if needs_full_covariance(method) {
            let err = result.unwrap_err();
            assert_eq!(
                err,
                SelectError::TooFewPointsForMatrix { n: 6, d: 9 },
                "{method}"
            );
            assert!(err
                .to_string()
                .contains("use the isotropic or per-dimension variant"));
        } else {
            assert_eq!(result, Ok(()), "{method}");
        }
    }
    // Zero variance in one direction: only the isotropic selectors answer.
    let mut flat = spread(40, 3);
    flat.column_mut(1).fill(2.0);
    for method in Method::all() {
        let result = run(method, &flat);
        let isotropic = matches!(
            method,
            Method::RuleOfThumb {
                variant: Variant::Isotropic,
                ..
            } | Method::Lcv {
                shape: CvShape::Isotropic
            } | Method::Lscv {
                shape: CvShape::Isotropic
            }
        );
        if isotropic {
            assert_eq!(result, Ok(()), "{method}");
        } else {
            assert_eq!(
                result,
                Err(SelectError::ZeroVariance { col: 1 }),
                "{method}"
            );
        }
    }
    // The theory still answers with the isotropic model.
    assert!(theory_bandwidths(&flat, Variant::Isotropic).is_ok());
    // Weighted rules: a single point with positive weight is too few.
    let w = vec![0.0, 3.0, 0.0, 0.0, 0.0, 0.0];
    assert_eq!(
        RuleOfThumb::new(Rule::Scott, Variant::Isotropic)
            .weights(w)
            .select(&spread(6, 2))
            .unwrap_err(),
        SelectError::TooFewPoints { n: 1 }
    );
}
