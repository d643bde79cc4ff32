"""The telco cleansing (the seed's Spark "Lab 1" job) written idiomatically in pandas: the
baseline of bench/run_clean.sh, and the cleansing step of bench/replay_peer.py (import cleanse).
Usage: clean_pandas.py IN.csv OUT.csv"""
import sys

import numpy as np
import pandas as pd

RENAME = {
    "customerID": "customer_id", "SeniorCitizen": "senior_citizen", "Partner": "partner",
    "Dependents": "dependents", "PhoneService": "phone_service", "MultipleLines": "multiple_lines",
    "InternetService": "internet_service", "OnlineSecurity": "online_security",
    "OnlineBackup": "online_backup", "DeviceProtection": "device_protection",
    "TechSupport": "tech_support", "StreamingTV": "streaming_tv",
    "StreamingMovies": "streaming_movies", "Contract": "contract",
    "PaperlessBilling": "paperless_billing", "PaymentMethod": "payment_method",
    "MonthlyCharges": "monthly_charges", "TotalCharges": "total_charges", "Churn": "churn"}
COLUMNS = ["customer_id", "gender", "senior_citizen", "partner", "dependents", "tenure",
           "tenure_group", "phone_service", "multiple_lines", "internet_service",
           "online_security", "online_backup", "device_protection", "tech_support",
           "streaming_tv", "streaming_movies", "contract", "paperless_billing", "payment_method",
           "monthly_charges", "total_charges"]


def cleanse(df):
    """The telco preset on a frame of strings (read with dtype=str, keep_default_na=False)."""
    df = df.replace(["None", "NULL", "", " ", "NaN"], np.nan).dropna()
    df = df.replace(["No internet service", "No phone service"], "No")
    tenure = df["tenure"].astype(int)
    df["tenure_group"] = pd.cut(tenure, bins=[-np.inf, 12, 24, 48, 60, np.inf],
                                labels=["Tenure_0-12", "Tenure_12-24", "Tenure_24-48",
                                        "Tenure_48-60", "Tenure_gt_60"]).astype(str)
    df = df.rename(columns=RENAME)
    df["senior_citizen"] = df["senior_citizen"].astype(int)
    df["tenure"] = tenure
    df["monthly_charges"] = df["monthly_charges"].astype(float)
    df["total_charges"] = df["total_charges"].astype(float)
    columns = list(COLUMNS)
    if "churn" in df.columns:
        df["churn"] = df["churn"].str.lower()
        columns.append("churn")
    return df[columns]


def main():
    src, dst = sys.argv[1], sys.argv[2]
    df = cleanse(pd.read_csv(src, dtype=str, keep_default_na=False))
    df.to_csv(dst, index=False)
    print(len(df), file=sys.stderr)


if __name__ == "__main__":
    main()
